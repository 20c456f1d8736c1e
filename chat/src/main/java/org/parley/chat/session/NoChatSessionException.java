package org.parley.chat.session;

/** There is no session with a device yet (or it was deleted): a prekey bundle is needed first. */
public final class NoChatSessionException extends ChatCryptoException {

    public NoChatSessionException(ChatAddress address, Throwable cause) {
        super("no chat session with " + address + ": fetch its prekey bundle first", cause);
    }
}
