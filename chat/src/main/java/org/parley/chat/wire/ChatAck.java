package org.parley.chat.wire;

import java.util.Objects;

/**
 * The receiver's answer to one {@link ChatFrame}: received (the frame reached the device, which now
 * owns it) or rejected with a reason. The sender's outbox counts a frame as sent only on
 * {@link #received()}. Immutable.
 */
public record ChatAck(boolean received, String reason) {

    /** A rejection reason is one short sentence for logs; longer text is cut to this. */
    public static final int MAX_REASON_LENGTH = 200;

    public ChatAck {
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > MAX_REASON_LENGTH) {
            // Never split a surrogate pair: half of one would go on the wire as '?'.
            int end = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1)) ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH;
            reason = reason.substring(0, end);
        }
        if (received && !reason.isEmpty()) {
            throw new IllegalArgumentException("a received ack carries no reason");
        }
    }

    public static ChatAck ok() {
        return new ChatAck(true, "");
    }

    public static ChatAck rejected(String reason) {
        return new ChatAck(false, reason);
    }
}
