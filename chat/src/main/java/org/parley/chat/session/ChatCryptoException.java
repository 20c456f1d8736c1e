package org.parley.chat.session;

/**
 * Why a chat message could not be encrypted or decrypted, or a session not started. Each kind
 * calls for a different reaction by the node:
 *
 * <ul>
 *   <li>{@link IdentityKeyChangedException}: warn the user, hold sending until they accept the key;
 *   <li>{@link ReplayedMessageException}: drop quietly, it was already delivered;
 *   <li>{@link InvalidChatMessageException}: drop, the sender or the path is broken or hostile;
 *   <li>{@link NoChatSessionException}: fetch a prekey bundle and start a session;
 *   <li>{@link InvalidPrekeyBundleException}: the peer's bundle is unusable, try another device or later;
 *   <li>{@link NoSenderKeyException}: a group message came before its author's sender key; keep it
 *       until the key arrives.
 * </ul>
 */
public abstract sealed class ChatCryptoException extends Exception
        permits IdentityKeyChangedException, ReplayedMessageException, InvalidChatMessageException,
                NoChatSessionException, InvalidPrekeyBundleException, NoSenderKeyException {

    protected ChatCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
