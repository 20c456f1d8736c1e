package org.parley.libp2p.yamux;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * threads costs one flush.
 *
 * <p>Control frames (window updates, ACK, FIN, RST, pings, GO_AWAY) go through a queue; whoever
 * holds the lock next writes them ahead of its DATA. Application threads then try to take the lock
 * and write them at once. The session's reader thread never writes: it hands its frames (ping
 * answers, refusals) to this writer's own virtual thread, so that it keeps reading even while the
 * connection is full; two peers whose readers both waited to write could otherwise deadlock.
 *
 * <p>Thread safe.
 */
final class YamuxFrameWriter {

    /**
     * Gathers headers and small frames: a burst of a thousand small frames still costs only a few
     * writes. The secure channel below gathers writes into frames too, so this only saves calls
     * and stays small: hundreds of idle sessions hold little. Bulk payloads never pass through it.
     */
    static final int BUFFER_SIZE = 8 * 1024;

    /**
     * Payloads up to this size are copied into the buffer with their header; larger ones are
     * written from the caller's array, where saving a copy matters more than saving a write.
     */
    static final int COPY_LIMIT = 2 * 1024;

    /**
     * Ping answers waiting to be written; a peer that pings faster than we can answer gets no
     * more answers (go-yamux drops them the same way) instead of growing our memory.
     */
    static final int MAX_QUEUED_PING_ANSWERS = 64;

    /**
     * Control frames waiting for the connection. Beyond this the reader thread writes its frames
     * itself and so waits for the connection, which pushes back on a peer that keeps opening
     * streams we refuse without reading our answers.
     */
    static final int MAX_QUEUED_CONTROL_FRAMES = 1024;

    /** What the writer tells its session when the connection fails. */
    interface FailureListener {
        /** Ends the session; returns the exception writers should throw. */
        Libp2pException writeFailed(IOException cause);
    }

    /** A queued control frame; {@code written} (may be null) completes once it was flushed. */
    private record Queued(YamuxFrame frame, CompletableFuture<Void> written) {}

    private static final long NOT_BLOCKED = Long.MIN_VALUE;

    private final OutputStream out;
    private final LongSupplier clock;
    private final FailureListener failureListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger queuedPingAnswers = new AtomicInteger();
    /** One permit per wake-up of the control writer thread. */
    private final Semaphore controlWork = new Semaphore(0);
    /** Guarded by {@link #lock}. */
    private int count;
    /** Guarded by {@link #lock}: bytes went to {@link #out} or {@link #buffer} since the last flush. */
    private boolean dirty;
    /** Guarded by {@link #lock}: futures of drained frames, completed at the next flush. */
    private final List<CompletableFuture<Void>> awaitingFlush = new ArrayList<>();
    private volatile long blockedSinceNanos = NOT_BLOCKED;
    private volatile Libp2pException closed;

    YamuxFrameWriter(OutputStream out, LongSupplier clock, FailureListener failureListener) {
        this.out = out;
        this.clock = clock;
        this.failureListener = failureListener;
    }

    /** Starts the thread that writes the control frames the session's reader hands over. */
    void startControlWriter(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::controlLoop);
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

    /** For application threads: queues a control frame and writes it now if the connection is free. */
    void send(YamuxFrame frame) {
        enqueue(frame, null);
        drainQueued();
    }

    /**
     * For the session's reader thread: queues a control frame for the control writer thread. Only
     * once too many frames wait does the reader write (and wait) itself.
     */
    void sendFromReader(YamuxFrame frame) {
        enqueue(frame, null);
        if (queued.get() <= MAX_QUEUED_CONTROL_FRAMES) {
            controlWork.release();
            return;
        }
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
            failed(failure);
            return;
        }
        drainQueued();
    }

    /** For the reader thread: answers a ping, unless too many answers wait already. */
    void sendPingAnswer(long value) {
        if (queuedPingAnswers.incrementAndGet() > MAX_QUEUED_PING_ANSWERS) {
            queuedPingAnswers.decrementAndGet();
            return;
        }
        sendFromReader(YamuxFrame.ping(YamuxFrame.ACK, value));
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
        drainQueued();
    }

    /**
     * For a session about to close, from any thread: has the control writer write and flush
     * {@code frame} with everything before it, and waits at most {@code linger} for that. Returns
     * whether it was written; the caller then closes the connection either way, which also frees a
     * control writer that is stuck on a full connection.
     */
    boolean sendLast(YamuxFrame frame, Duration linger) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        enqueue(frame, written);
        controlWork.release();
        try {
            written.get(linger.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
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
        Queued dropped;
        while ((dropped = queue.poll()) != null) {
            if (dropped.written() != null) {
                dropped.written().completeExceptionally(reason);
            }
        }
        controlWork.release();
    }

    private void enqueue(YamuxFrame frame, CompletableFuture<Void> written) {
        queued.incrementAndGet();
        queue.add(new Queued(frame, written));
        if (closed != null) {
            close(closed);
        }
    }

    private void controlLoop() {
        while (true) {
            try {
                controlWork.acquire();
            } catch (InterruptedException e) {
                return;
            }
            controlWork.drainPermits();
            if (closed != null) {
                return;
            }
            lock.lock();
            if (!writeQueuedAndUnlock()) {
                return;
            }
            drainQueued();
        }
    }

    /**
     * Writes what is queued if the lock is free. Whoever releases the lock calls this, so a frame
     * queued while the lock was taken is never left behind.
     */
    private void drainQueued() {
        while (!queue.isEmpty() && lock.tryLock()) {
            if (!writeQueuedAndUnlock()) {
                return;
            }
        }
    }

    /**
     * Called with the lock held: writes the queued frames, flushes unless another writer is about
     * to, and releases the lock.
     *
     * @return false if the writer is closed or has just failed
     */
    private boolean writeQueuedAndUnlock() {
        IOException failure = null;
        try {
            if (closed != null) {
                return false;
            }
            drainQueueLocked();
            if (!lock.hasQueuedThreads() || !awaitingFlush.isEmpty()) {
                flushLocked();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            failed(failure);
            return false;
        }
        return true;
    }

    private void drainQueueLocked() throws IOException {
        Queued next;
        while ((next = queue.poll()) != null) {
            queued.decrementAndGet();
            YamuxFrame frame = next.frame();
            if (frame.type() == YamuxFrame.Type.PING && frame.has(YamuxFrame.ACK)) {
                queuedPingAnswers.decrementAndGet();
            }
            putHeader(frame.type(), frame.flags(), frame.streamId(), frame.length());
            if (next.written() != null) {
                awaitingFlush.add(next.written());
            }
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
        if (dirty) {
            writeBuffer();
            dirty = false;
            blockedSinceNanos = clock.getAsLong();
            try {
                out.flush();
            } finally {
                blockedSinceNanos = NOT_BLOCKED;
            }
        }
        if (!awaitingFlush.isEmpty()) {
            awaitingFlush.forEach(written -> written.complete(null));
            awaitingFlush.clear();
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

    /** The exception for a writer whose write failed: the session's reason once it has ended. */
    private Libp2pException failed(IOException failure) {
        Libp2pException reason = closed;
        if (reason != null) {
            return YamuxSession.sameKind(reason);
        }
        return failureListener.writeFailed(failure);
    }
}
