package org.parley.chat.session;

/** A message failed authentication or could not be parsed: tampered with, corrupted, or not for us. */
public final class InvalidChatMessageException extends ChatCryptoException {

    public InvalidChatMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
