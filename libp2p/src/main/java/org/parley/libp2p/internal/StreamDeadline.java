package org.parley.libp2p.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.MuxedStream;

/**
 * Bounds how long blocking protocol code may wait on a stream: when the deadline passes, the
 * stream is reset, which wakes the blocked reader or writer with an exception; the caller then
 * asks {@link #expired()} to tell a timeout from a reset by the peer.
 *
 * <p>Thread safe. Use in try-with-resources around the blocking calls; {@link #close()} disarms it.
 */
public final class StreamDeadline implements AutoCloseable {

    /**
     * One timer thread for the whole process: it only hands expired streams to a virtual thread,
     * so a slow {@code reset()} never delays other deadlines.
     */
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final MuxedStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledFuture<?> pending;
    /** Tells a timer task that fired just as the deadline moved that it is stale. */
    private long generation;
    private boolean closed;
    private volatile boolean expired;

    private StreamDeadline(MuxedStream stream) {
        this.stream = stream;
    }

    /** Arms a deadline {@code timeout} from now for {@code stream}. */
    public static StreamDeadline start(MuxedStream stream, Duration timeout) {
        StreamDeadline deadline = new StreamDeadline(stream);
        deadline.restart(timeout);
        return deadline;
    }

    /** Moves the deadline to {@code timeout} from now, unless it has already expired or was closed. */
    public void restart(Duration timeout) {
        lock.lock();
        try {
            if (closed || expired) {
                return;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            long current = ++generation;
            pending = TIMER.schedule(() -> expire(current), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** True once the deadline passed and the stream was reset because of it. */
    public boolean expired() {
        return expired;
    }

    /** Disarms the deadline. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void expire(long scheduledGeneration) {
        lock.lock();
        try {
            if (closed || scheduledGeneration != generation) {
                return;
            }
            expired = true;
            pending = null;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("stream-deadline-reset").start(stream::reset);
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("parley-stream-deadlines").factory());
        // Most deadlines are disarmed long before they fire; do not keep them queued until then.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
