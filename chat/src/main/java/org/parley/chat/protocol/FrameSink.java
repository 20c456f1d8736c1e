package org.parley.chat.protocol;

import java.util.ArrayList;
import java.util.List;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatFrame;
import org.parley.libp2p.peer.PeerId;

/**
 * Takes the frames {@link ChatReceiver} reads: decrypts, applies consent, persists. Its answer
 * goes back to the sender as the frame's ack, so it must return {@link ChatAck#ok()} only once the
 * frame is safely kept (or deliberately dropped, as a duplicate is). Throwing resets the stream and
 * the sender retries later.
 */
@FunctionalInterface
public interface FrameSink {

    ChatAck accept(PeerId from, ChatFrame frame) throws Exception;

    /**
     * Takes frames that arrived together, in order, and answers each; a sink that persists may keep
     * them all in one transaction (group commit). By default, one {@link #accept} after another.
     */
    default List<ChatAck> acceptAll(PeerId from, List<ChatFrame> frames) throws Exception {
        List<ChatAck> acks = new ArrayList<>(frames.size());
        for (ChatFrame frame : frames) {
            acks.add(accept(from, frame));
        }
        return acks;
    }

    /**
     * As {@link #acceptAll(PeerId, List)}; with {@code replies} (the stream is
     * {@code /parley/chat/1.1.0}) a received ack may carry a reply frame for the sender. Without,
     * none may. By default, no replies.
     */
    default List<ChatAck> acceptAll(PeerId from, List<ChatFrame> frames, boolean replies) throws Exception {
        return acceptAll(from, frames);
    }
}
