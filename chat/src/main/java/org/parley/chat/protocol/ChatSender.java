package org.parley.chat.protocol;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.peer.PeerId;

/**
 * Sends frames on one outbound {@code /parley/chat/1.0.0} stream and waits for each one's ack, so
 * the caller (the node's outbox) knows the frame reached the peer's device. {@link #close()}
 * half-closes, which ends the receiver's loop.
 *
 * <p>Thread safe: concurrent {@link #send} calls run one after the other.
 */
public final class ChatSender implements AutoCloseable {

    public static final String PROTOCOL_ID = ChatReceiver.PROTOCOL_ID;

    /**
     * How long we wait for an ack: the receiver decrypts and persists the frame first, a few ms
     * normally and a few seconds on a loaded phone-class machine; past this the frame is retried.
     */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final Stream stream;
    private final Duration ackTimeout;
    private final ReentrantLock lock = new ReentrantLock();

    /** Sends over {@code stream}, which must have negotiated {@link #PROTOCOL_ID}. */
    public ChatSender(Stream stream) {
        this(stream, ACK_TIMEOUT);
    }

    ChatSender(Stream stream, Duration ackTimeout) {
        this.stream = stream;
        this.ackTimeout = ackTimeout;
    }

    /** Opens a chat stream to {@code peer}. */
    public static ChatSender open(Host host, PeerId peer) throws IOException {
        return new ChatSender(host.newStream(peer, PROTOCOL_ID));
    }

    /**
     * Writes {@code frame} and waits for its ack.
     *
     * @return the receiver's ack: received, or rejected with its reason
     * @throws PeerFaultException if the ack is malformed (the stream is reset)
     * @throws ConnectionClosedException if no ack comes within the timeout (the stream is reset) or
     *     the stream ends first; the frame may or may not have arrived, so the caller retries and the
     *     receiver drops a duplicate by its message id
     */
    public ChatAck send(ChatFrame frame) throws IOException {
        lock.lock();
        try (StreamTimeout deadline = StreamTimeout.start(stream, ackTimeout)) {
            ChatAck ack;
            try {
                ChatFrameCodec.write(stream.out(), frame);
                ack = ChatFrameCodec.readAck(stream.in());
            } catch (PeerFaultException e) {
                stream.reset();
                throw e;
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw new ConnectionClosedException("no chat ack from " + stream.remotePeer() + " within "
                            + ackTimeout.toMillis() + " ms", e);
                }
                throw e;
            }
            if (ack == null) {
                throw new ConnectionClosedException("chat stream to " + stream.remotePeer() + " ended before the ack");
            }
            return ack;
        } finally {
            lock.unlock();
        }
    }

    public PeerId remotePeer() {
        return stream.remotePeer();
    }

    /** Half-closes the stream (the receiver then closes its side) and releases it. Idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}
