package org.parley.chat.identity;

/**
 * A string is not valid Bech32m; {@link #reason()} says which rule it broke and the message
 * completes the sentence "the text ...".
 */
public final class InvalidBech32mException extends Exception {

    /** Which rule of BIP-173/BIP-350 the string broke. */
    public enum Reason { TOO_LONG, TOO_SHORT, BAD_CHARACTER, MIXED_CASE, NO_SEPARATOR, EMPTY_PREFIX, CHECKSUM, BAD_PADDING }

    private final Reason reason;

    public InvalidBech32mException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
