package org.parley.chat.identity;

/**
 * A text is not a valid Parley user ID. The message is written for the person who typed or
 * pasted it and says what to do; {@link #reason()} lets a caller tell a typo from other mistakes.
 */
public final class InvalidUserIdException extends Exception {

    /** What is wrong with the text. */
    public enum Reason {
        /** It looks like an ID but its checksum does not match: a typo. */
        TYPO,
        /** It is not an ID at all (wrong prefix, wrong length, characters an ID never has). */
        NOT_AN_ID,
        /** A well-formed ID of a format version this Parley does not know. */
        UNSUPPORTED_VERSION
    }

    private final Reason reason;

    public InvalidUserIdException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidUserIdException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
