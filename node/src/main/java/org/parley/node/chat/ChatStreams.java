package org.parley.node.chat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatFrame;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;

/**
 * The outbox's pool of chat streams: one open {@code /parley/chat/1.1.0} (or 1.0.0) stream per peer, shared
 * by every lane and by cover traffic. A stream that broke leaves the pool, so the next frame to
 * that peer opens one afresh. Thread safe.
 */
final class ChatStreams {

    private final Host host;
    private final Map<PeerId, ChatSender> senders = new ConcurrentHashMap<>();

    ChatStreams(Host host) {
        this.host = host;
    }

    /**
     * Writes one frame to {@code peer} on its pooled stream; the ack comes in the future. A stream
     * that broke is dropped from the pool, so the next frame opens one afresh.
     */
    CompletableFuture<ChatAck> submit(PeerId peer, ChatFrame frame) throws IOException {
        return submitOn(peer, sender(peer), frame);
    }

    /** Writes one frame on {@code sender}, the stream to {@code peer}; one that broke leaves the pool. */
    CompletableFuture<ChatAck> submitOn(PeerId peer, ChatSender sender, ChatFrame frame) throws IOException {
        CompletableFuture<ChatAck> ack;
        try {
            ack = sender.submit(frame);
        } catch (IOException e) {
            forget(peer, sender);
            throw e;
        }
        ack.whenComplete((answer, failed) -> {
            if (failed != null) {
                // Not on the thread completing the ack: that is the stream's own reader, still failing it.
                Thread.ofVirtual().name("chat-streams-forget").start(() -> forget(peer, sender));
            }
        });
        return ack;
    }

    /** The open stream to {@code peer}, opening one if there is none. */
    ChatSender sender(PeerId peer) throws IOException {
        ChatSender sender = senders.get(peer);
        if (sender == null) {
            sender = ChatSender.open(host, peer);
            ChatSender raced = senders.putIfAbsent(peer, sender);
            if (raced != null) {
                sender.close();
                sender = raced;
            }
        }
        return sender;
    }

    /** Drops {@code sender} from the pool (if it is still the one for {@code peer}) and closes it. */
    void forget(PeerId peer, ChatSender sender) {
        if (senders.remove(peer, sender)) {
            sender.close();
        }
    }

    /** Closes every open stream (a later frame would open a new one); may be called again. */
    void closeAll() {
        senders.values().forEach(ChatSender::close);
        senders.clear();
    }
}
