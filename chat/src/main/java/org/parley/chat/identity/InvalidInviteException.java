package org.parley.chat.identity;

/** A text is not a valid Parley invite link; the message tells the person what is wrong and what to do. */
public final class InvalidInviteException extends Exception {

    public InvalidInviteException(String message) {
        super(message);
    }

    public InvalidInviteException(String message, Throwable cause) {
        super(message, cause);
    }
}
