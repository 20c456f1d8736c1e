package org.parley.libp2p.yamux;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.parley.libp2p.core.Libp2pException;

/**
 * Writes the frames of one session to its connection: one frame at a time under a lock, small
 * frames gathered in a buffer, large payloads written straight from the caller's array.
 *
 * <p>Flush policy: a writer that is done flushes unless another writer waits for the lock, which
 * then flushes in its turn; so bytes are never left behind, and a burst of frames from several
 * threads costs one flush. Control frames (window updates, ACK, FIN, RST, pings, GO_AWAY) go
 * through a queue that never blocks the caller: whoever holds the lock, or gets it first, writes
 * them ahead of its next DATA frame. The session's reader thread therefore never waits for the
 * connection, which is what keeps two peers that both write hard from deadlocking.
 *
 * <p>Thread safe.
 */
final class YamuxFrameWriter {

    /** Gathers headers and small frames; one write per this many bytes at most. */
    static final int BUFFER_SIZE = 64 * 1024;

    /**
     * Payloads up to this size are copied into the buffer with their header; larger ones are
     * written from the caller's array, where saving a copy matters more than saving a write.
     */
    static final int COPY_LIMIT = 16 * 1024;

    /**
     * Ping answers waiting to be written; a peer that pings faster than we can answer gets no
     * more answers (go-yamux drops them the same way) instead of growing our memory.
     */
    static final int MAX_QUEUED_PING_ANSWERS = 64;

    /**
     * Control frames queued by the session's reader; beyond this the reader writes itself and
     * waits for the connection, which pushes back on a peer that opens and abandons streams
     * without reading our answers.
     */
    static final int MAX_QUEUED_CONTROL_FRAMES = 1024;

    /** What the writer tells its session when the connection fails. */
    interface FailureListener {
        /** Ends the session; returns the exception writers should throw. */
        Libp2pException writeFailed(IOException cause);
    }

    private static final long NOT_BLOCKED = Long.MIN_VALUE;

    private final OutputStream out;
    private final LongSupplier clock;
    private final FailureListener failureListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final ConcurrentLinkedQueue<YamuxFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger queuedPingAnswers = new AtomicInteger();
    /** Guarded by {@link #lock}. */
    private int count;
    /** Guarded by {@link #lock}: bytes went to {@link #out} or {@link #buffer} since the last flush. */
    private boolean dirty;
    private volatile long blockedSinceNanos = NOT_BLOCKED;
    private volatile Libp2pException closed;

    YamuxFrameWriter(OutputStream out, LongSupplier clock, FailureListener failureListener) {
        this.out = out;
        this.clock = clock;
        this.failureListener = failureListener;
    }

    /**
     * Writes one DATA frame.
     *
     * @param more true if the caller writes another frame right away; then it does not flush
     */
    void writeData(int streamId, byte[] payload, int offset, int length, boolean more) throws IOException {
        IOException failure = null;
        lock.lock();
        try {
            ensureOpen();
            drainQueueLocked();
            putHeader(YamuxFrame.Type.DATA, 0, streamId, length);
            if (length <= COPY_LIMIT && length <= buffer.length - count) {
                System.arraycopy(payload, offset, buffer, count, length);
                count += length;
            } else {
                writeBuffer();
                writeOut(payload, offset, length);
            }
            if (!more && !lock.hasQueuedThreads()) {
                flushLocked();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failed(failure);
        }
        drainQueued();
    }

    /** Queues a control frame and writes it now if the connection is free; never blocks. */
    void send(YamuxFrame frame) {
        queue.add(frame);
        queued.incrementAndGet();
        drainQueued();
    }

    /**
     * For the reader thread: like {@link #send}, but once too many control frames are waiting,
     * writes this one itself and waits for the connection.
     */
    void sendFromReader(YamuxFrame frame) throws IOException {
        if (queued.get() < MAX_QUEUED_CONTROL_FRAMES) {
            send(frame);
            return;
        }
        queue.add(frame);
        queued.incrementAndGet();
        IOException failure = null;
        lock.lock();
        try {
            ensureOpen();
            drainQueueLocked();
            flushLocked();
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failed(failure);
        }
    }

    /** Queues the answer to a ping, unless too many answers are waiting already. */
    void sendPingAnswer(long value) {
        if (queuedPingAnswers.incrementAndGet() > MAX_QUEUED_PING_ANSWERS) {
            queuedPingAnswers.decrementAndGet();
            return;
        }
        send(YamuxFrame.ping(YamuxFrame.ACK, value));
    }

    /** Writes pending bytes unless another writer waits for the lock and will do it. */
    void flush() throws IOException {
        IOException failure = null;
        lock.lock();
        try {
            ensureOpen();
            drainQueueLocked();
            if (!lock.hasQueuedThreads()) {
                flushLocked();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failed(failure);
        }
    }

    /**
     * Best effort for a session that is about to close: writes {@code frame} and flushes if the
     * connection becomes free within {@code linger}. Returns whether it did.
     */
    boolean sendLast(YamuxFrame frame, Duration linger) {
        queue.add(frame);
        queued.incrementAndGet();
        try {
            if (!lock.tryLock(linger.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            ensureOpen();
            drainQueueLocked();
            flushLocked();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** How long the current write to the connection has been blocked, or 0 if none is under way. */
    long blockedNanos(long nowNanos) {
        long since = blockedSinceNanos;
        return since == NOT_BLOCKED ? 0 : nowNanos - since;
    }

    /** From now on every write fails with {@code reason}; queued control frames are dropped. */
    void close(Libp2pException reason) {
        closed = reason;
        queue.clear();
    }

    private void drainQueued() {
        while (!queue.isEmpty() && lock.tryLock()) {
            IOException failure = null;
            try {
                if (closed != null) {
                    queue.clear();
                    return;
                }
                drainQueueLocked();
                if (!lock.hasQueuedThreads()) {
                    flushLocked();
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                lock.unlock();
            }
            if (failure != null) {
                failed(failure);
                return;
            }
        }
    }

    private void drainQueueLocked() throws IOException {
        YamuxFrame frame;
        while ((frame = queue.poll()) != null) {
            queued.decrementAndGet();
            if (frame.type() == YamuxFrame.Type.PING && frame.has(YamuxFrame.ACK)) {
                queuedPingAnswers.decrementAndGet();
            }
            putHeader(frame.type(), frame.flags(), frame.streamId(), frame.length());
        }
    }

    private void putHeader(YamuxFrame.Type type, int flags, int streamId, long length) throws IOException {
        if (buffer.length - count < YamuxFrameCodec.HEADER_LENGTH) {
            writeBuffer();
        }
        YamuxFrameCodec.encodeHeader(type, flags, streamId, length, buffer, count);
        count += YamuxFrameCodec.HEADER_LENGTH;
        dirty = true;
    }

    private void writeBuffer() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            writeOut(buffer, 0, n);
        }
    }

    private void flushLocked() throws IOException {
        if (!dirty) {
            return;
        }
        writeBuffer();
        dirty = false;
        blockedSinceNanos = clock.getAsLong();
        try {
            out.flush();
        } finally {
            blockedSinceNanos = NOT_BLOCKED;
        }
    }

    private void writeOut(byte[] bytes, int offset, int length) throws IOException {
        dirty = true;
        blockedSinceNanos = clock.getAsLong();
        try {
            out.write(bytes, offset, length);
        } finally {
            blockedSinceNanos = NOT_BLOCKED;
        }
    }

    private void ensureOpen() throws Libp2pException {
        Libp2pException reason = closed;
        if (reason != null) {
            throw YamuxSession.sameKind(reason);
        }
    }

    private Libp2pException failed(IOException failure) {
        if (failure instanceof Libp2pException known && closed != null) {
            return known;
        }
        return failureListener.writeFailed(failure);
    }
}
