package org.parley.chat.protocol;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;

/**
 * Serves {@code /parley/chat/1.0.0} and {@code /parley/chat/1.1.0}: reads frames until the sender half-closes, hands them to the
 * {@link FrameSink} (those that arrived together as one batch, up to {@link #MAX_BATCH}) and
 * writes their acks, in order. A malformed or oversized frame fails the handler,
 * so the host resets the stream; a stream idle longer than {@link #IDLE_TIMEOUT} is closed. Thread
 * safe if its sink is.
 */
public final class ChatReceiver implements StreamHandler {

    public static final String PROTOCOL_ID = "/parley/chat/1.0.0";

    /**
     * 1.0.0 plus replies on acks ({@link ChatAck#reply()}): the dialer offers it first, and a node
     * serves both, so a node that knows only 1.0.0 still talks to this one.
     */
    public static final String PROTOCOL_WITH_REPLIES = "/parley/chat/1.1.0";

    /**
     * How long a sender may keep a stream open between frames. A sender keeps its stream for a
     * burst of messages and opens a new one later, so a minute of silence means it is gone.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Frames taken together at most: what a pipelining sender has in flight ({@code ChatSender.WINDOW}
     * is 128) arrives in batches; 64 per transaction already makes a commit's cost per frame small.
     */
    static final int MAX_BATCH = 64;

    private final FrameSink sink;
    private final Duration idleTimeout;

    public ChatReceiver(FrameSink sink) {
        this(sink, IDLE_TIMEOUT);
    }

    ChatReceiver(FrameSink sink, Duration idleTimeout) {
        this.sink = sink;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void handle(Stream stream) throws Exception {
        boolean ended = false;
        boolean replies = PROTOCOL_WITH_REPLIES.equals(stream.protocol());
        StreamTimeout idle = StreamTimeout.watching(stream, idleTimeout);
        while (!ended) {
            List<ChatFrame> batch = new ArrayList<>();
            try (StreamTimeout deadline = idle.arm()) {
                try {
                    ChatFrame frame = ChatFrameCodec.read(stream.in());
                    if (frame == null) {
                        break;
                    }
                    batch.add(frame);
                    // Frames already here (a pipelining sender writes ahead) are taken together.
                    while (batch.size() < MAX_BATCH && stream.in().available() > 0) {
                        ChatFrame next = ChatFrameCodec.read(stream.in());
                        if (next == null) {
                            ended = true;
                            break;
                        }
                        batch.add(next);
                    }
                } catch (IOException e) {
                    if (deadline.expired()) {
                        throw new ConnectionClosedException("chat stream from " + stream.remotePeer() + " idle for more than "
                                + idleTimeout.toMillis() + " ms", e);
                    }
                    throw e;
                }
            }
            List<ChatAck> acks = sink.acceptAll(stream.remotePeer(), batch, replies);
            if (acks.size() != batch.size()) {
                throw new IllegalStateException("the frame sink answered " + acks.size() + " of " + batch.size() + " frames");
            }
            if (!replies && acks.stream().anyMatch(a -> a.reply().isPresent())) {
                // A 1.0.0 dialer would drop the reply unread.
                throw new IllegalStateException("the frame sink replied on a stream without replies");
            }
            ChatFrameCodec.writeAcks(stream.out(), acks);
        }
        stream.closeWrite();
    }
}
