package org.parley.chat.protocol;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
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
 * Sends frames on one outbound {@code /parley/chat/1.0.0} stream and hands back each one's ack, so
 * the caller (the node's outbox) knows the frame reached the peer's device. Up to {@link #WINDOW}
 * frames are in flight at once: {@link #submit} writes a frame and returns at once with the ack to
 * come, and a reader matches the acks to the frames in the order they were written (the receiver
 * answers every frame, in order). {@link #close()} half-closes, which ends the receiver's loop.
 *
 * <p>When anything goes wrong on the stream (a malformed ack, no ack in time, the stream ending
 * first) every frame still waiting fails with that error and the stream is reset: the frames may or
 * may not have arrived, so the caller retries them and the receiver drops duplicates by message id.
 *
 * <p>Thread safe: concurrent {@link #submit} calls write one after the other.
 */
public final class ChatSender implements AutoCloseable {

    public static final String PROTOCOL_ID = ChatReceiver.PROTOCOL_ID;

    /**
     * How long we wait for the next ack while frames are in flight: the receiver decrypts and
     * persists each frame first, a few ms normally and a few seconds on a loaded phone-class
     * machine; past this the stream is reset and its frames are retried.
     */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Frames written and not yet acked, per stream. At the one-at-a-time round trip of ~3 ms on
     * loopback, 128 in flight allow ~40,000 frames/s, far past what the receiver decrypts and
     * stores; the most it costs the receiver is 128 frames buffered (a few hundred KiB at the
     * largest frames, within a yamux window), and a failure costs at most 128 resends.
     */
    public static final int WINDOW = 128;

    private final Stream stream;
    private final Duration ackTimeout;
    /** Times each frame's write, and each ack's read (two waits that run at once, on two threads). */
    private final StreamTimeout writes;
    private final StreamTimeout acks;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Semaphore window = new Semaphore(WINDOW);
    /** The acks to come, in the order their frames were written. */
    private final LinkedBlockingQueue<CompletableFuture<ChatAck>> awaiting = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile IOException failure;
    private volatile boolean closed;

    /** Whether the stream negotiated {@link ChatReceiver#PROTOCOL_WITH_REPLIES}, so acks may carry replies. */
    private final boolean replies;

    /**
     * Sends over {@code stream}, which must have negotiated {@link #PROTOCOL_ID} or
     * {@link ChatReceiver#PROTOCOL_WITH_REPLIES}.
     */
    public ChatSender(Stream stream) {
        this(stream, ACK_TIMEOUT);
    }

    ChatSender(Stream stream, Duration ackTimeout) {
        this.stream = stream;
        this.ackTimeout = ackTimeout;
        this.replies = ChatReceiver.PROTOCOL_WITH_REPLIES.equals(stream.protocol());
        this.writes = StreamTimeout.watching(stream, ackTimeout);
        this.acks = StreamTimeout.watching(stream, ackTimeout);
        this.reader = Thread.ofVirtual().name("chat-acks-" + stream.remotePeer()).start(this::readAcks);
    }

    /**
     * Opens a chat stream to {@code peer}: {@code /parley/chat/1.1.0} if it serves it (acks may then
     * carry replies), else 1.0.0.
     */
    public static ChatSender open(Host host, PeerId peer) throws IOException {
        return new ChatSender(host.newStream(peer, ChatReceiver.PROTOCOL_WITH_REPLIES, PROTOCOL_ID));
    }

    /** Whether acks on this stream may carry a reply ({@link ChatAck#reply()}). */
    public boolean takesReplies() {
        return replies;
    }

    /**
     * Writes {@code frame}, first waiting while {@link #WINDOW} frames are in flight.
     *
     * @return the receiver's ack to come: received, or rejected with its reason; it fails with a
     *     {@link PeerFaultException} if the ack is malformed, with a {@link ConnectionClosedException}
     *     if no ack comes within the timeout or the stream ends first
     * @throws IOException if the stream failed before or while writing (the frame may then be
     *     retried on a new stream)
     */
    public CompletableFuture<ChatAck> submit(ChatFrame frame) throws IOException {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for room in the chat window");
        }
        CompletableFuture<ChatAck> ack = new CompletableFuture<>();
        writeLock.lock();
        try {
            IOException failed = failure;
            if (failed != null || closed) {
                window.release();
                throw failed != null ? failed : new ConnectionClosedException("the chat sender is closed");
            }
            awaiting.add(ack);
            try (StreamTimeout deadline = writes.arm()) {
                try {
                    ChatFrameCodec.write(stream.out(), frame);
                } catch (IOException e) {
                    fail(deadline.expired() ? new ConnectionClosedException("writing a chat frame to "
                            + stream.remotePeer() + " took more than " + ackTimeout.toMillis() + " ms", e) : e);
                }
            }
        } finally {
            writeLock.unlock();
        }
        if (failure != null) {
            // The reader may have failed between our check and our add: make sure this ack is answered.
            failAwaiting();
        }
        return ack;
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
        return await(submit(frame));
    }

    /**
     * Waits for an ack from {@link #submit}, or for what a caller derived from one, rethrowing the
     * stream's failure as it was.
     */
    public static <T> T await(CompletableFuture<T> ack) throws IOException {
        try {
            return ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chat ack");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("a chat ack failed unexpectedly", e.getCause());
        }
    }

    public PeerId remotePeer() {
        return stream.remotePeer();
    }

    private void readAcks() {
        while (true) {
            CompletableFuture<ChatAck> next;
            try {
                next = awaiting.take();
            } catch (InterruptedException e) {
                return;
            }
            ChatAck ack;
            try (StreamTimeout deadline = acks.arm()) {
                try {
                    ack = ChatFrameCodec.readAck(stream.in(), replies);
                } catch (PeerFaultException e) {
                    stream.reset();
                    failWith(next, e);
                    return;
                } catch (IOException e) {
                    failWith(next, deadline.expired() ? new ConnectionClosedException("no chat ack from "
                            + stream.remotePeer() + " within " + ackTimeout.toMillis() + " ms", e) : e);
                    return;
                }
            }
            if (ack == null) {
                failWith(next, new ConnectionClosedException("chat stream to " + stream.remotePeer()
                        + " ended before the ack"));
                return;
            }
            window.release();
            next.complete(ack);
        }
    }

    private void failWith(CompletableFuture<ChatAck> head, IOException e) {
        window.release();
        head.completeExceptionally(e);
        fail(e);
    }

    /** Records the stream's failure, resets it and fails every ack still awaited. */
    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        stream.reset();
        failAwaiting();
    }

    private void failAwaiting() {
        IOException e = failure;
        CompletableFuture<ChatAck> waiting;
        while ((waiting = awaiting.poll()) != null) {
            window.release();
            waiting.completeExceptionally(e);
        }
    }

    /**
     * Half-closes the stream (the receiver then closes its side) and releases it. Frames still
     * awaiting their ack fail as closed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        writeLock.lock();
        try {
            if (!awaiting.isEmpty()) {
                fail(new ConnectionClosedException("the chat sender to " + stream.remotePeer()
                        + " was closed before the ack"));
            }
            stream.close();
        } finally {
            writeLock.unlock();
        }
        reader.interrupt();
    }
}
