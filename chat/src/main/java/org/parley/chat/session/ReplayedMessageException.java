package org.parley.chat.session;

/** A message was decrypted before: a replay or a duplicate delivery. */
public final class ReplayedMessageException extends ChatCryptoException {

    public ReplayedMessageException(ChatAddress from, Throwable cause) {
        super("a message from " + from + " was already received (replay or duplicate)", cause);
    }
}
