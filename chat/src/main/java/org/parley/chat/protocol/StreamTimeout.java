package org.parley.chat.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.core.MuxedStream;

/**
 * Resets a stream when a blocking read or write on it takes longer than a timeout, which wakes the
 * blocked thread with an exception; {@link #expired()} then tells a timeout from a peer's reset.
 * Use in try-with-resources around one wait. Thread safe.
 */
final class StreamTimeout implements AutoCloseable {

    /** One daemon timer for the module: it only resets streams, which does not block. */
    private static final ScheduledExecutorService TIMER = newTimer();

    private final ScheduledFuture<?> pending;
    private volatile boolean expired;

    private StreamTimeout(MuxedStream stream, Duration timeout) {
        this.pending = TIMER.schedule(() -> {
            expired = true;
            stream.reset();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    static StreamTimeout start(MuxedStream stream, Duration timeout) {
        return new StreamTimeout(stream, timeout);
    }

    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        pending.cancel(false);
    }

    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chat-stream-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
