package org.parley.chat.session;

import java.util.UUID;

/** A group message came from a member whose sender key for that epoch this device does not hold (yet). */
public final class NoSenderKeyException extends ChatCryptoException {

    public NoSenderKeyException(ChatAddress from, UUID distributionId, Throwable cause) {
        super("no sender key of " + from + " for group epoch " + distributionId, cause);
    }
}
