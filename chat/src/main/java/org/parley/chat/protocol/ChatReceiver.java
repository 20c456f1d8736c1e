package org.parley.chat.protocol;

import java.io.IOException;
import java.time.Duration;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;

/**
 * Serves {@code /parley/chat/1.0.0}: reads frames until the sender half-closes, hands each to the
 * {@link FrameSink} and writes its ack, in order. A malformed or oversized frame fails the handler,
 * so the host resets the stream; a stream idle longer than {@link #IDLE_TIMEOUT} is closed. Thread
 * safe if its sink is.
 */
public final class ChatReceiver implements StreamHandler {

    public static final String PROTOCOL_ID = "/parley/chat/1.0.0";

    /**
     * How long a sender may keep a stream open between frames. A sender keeps its stream for a
     * burst of messages and opens a new one later, so a minute of silence means it is gone.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

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
        while (true) {
            ChatFrame frame;
            try (StreamTimeout deadline = StreamTimeout.start(stream, idleTimeout)) {
                try {
                    frame = ChatFrameCodec.read(stream.in());
                } catch (IOException e) {
                    if (deadline.expired()) {
                        throw new ConnectionClosedException("chat stream from " + stream.remotePeer() + " idle for more than "
                                + idleTimeout.toMillis() + " ms", e);
                    }
                    throw e;
                }
            }
            if (frame == null) {
                break;
            }
            ChatAck ack = sink.accept(stream.remotePeer(), frame);
            ChatFrameCodec.writeAck(stream.out(), ack);
        }
        stream.closeWrite();
    }
}
