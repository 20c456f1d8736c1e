package org.parley.chat.session;

/** A prekey bundle cannot start a session: a key does not parse or a signature does not verify. */
public final class InvalidPrekeyBundleException extends ChatCryptoException {

    public InvalidPrekeyBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
