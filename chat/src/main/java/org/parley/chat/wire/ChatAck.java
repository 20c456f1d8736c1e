package org.parley.chat.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * The receiver's answer to one {@link ChatFrame}: received (the frame reached the device, which now
 * owns it) or rejected with a reason. The sender's outbox counts a frame as sent only on
 * {@link #received()}. On {@code /parley/chat/1.1.0} a received ack may carry a {@link #reply}: a
 * frame back to the sender (the delivered receipt for the frame's texts), which then needs no
 * stream, ack or outbox of its own. Immutable.
 */
public record ChatAck(boolean received, String reason, Optional<ChatFrame> reply) {

    /** A rejection reason is one short sentence for logs; longer text is cut to this. */
    public static final int MAX_REASON_LENGTH = 200;

    public ChatAck {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reply, "reply");
        if (reason.length() > MAX_REASON_LENGTH) {
            // Never split a surrogate pair: half of one would go on the wire as '?'.
            int end = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1)) ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH;
            reason = reason.substring(0, end);
        }
        if (received && !reason.isEmpty()) {
            throw new IllegalArgumentException("a received ack carries no reason");
        }
        if (!received && reply.isPresent()) {
            throw new IllegalArgumentException("a rejected frame gets no reply");
        }
    }

    public ChatAck(boolean received, String reason) {
        this(received, reason, Optional.empty());
    }

    public static ChatAck ok() {
        return new ChatAck(true, "");
    }

    /** Received, with {@code reply} (if any) for the sender. */
    public static ChatAck ok(Optional<ChatFrame> reply) {
        return new ChatAck(true, "", reply);
    }

    public static ChatAck rejected(String reason) {
        return new ChatAck(false, reason);
    }
}
