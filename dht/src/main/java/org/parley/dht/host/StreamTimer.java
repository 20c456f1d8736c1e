package org.parley.dht.host;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.host.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets inbound kad streams left idle too long: blocking stream reads have no timeout of their
 * own, so a timer aborts the stream and the blocked reader wakes with an error. Also runs the idle
 * pool's periodic sweep. Thread safe.
 */
final class StreamTimer implements AutoCloseable {

    /** One armed timeout; {@link #cancel()} when the exchange finished in time. */
    static final class Deadline {
        private final ScheduledFuture<?> future;
        private final AtomicBoolean fired;

        private Deadline(ScheduledFuture<?> future, AtomicBoolean fired) {
            this.future = future;
            this.fired = fired;
        }

        void cancel() {
            future.cancel(false);
        }

        /** True if the stream was reset because the time ran out. */
        boolean fired() {
            return fired.get();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamTimer.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kad-stream-timer").factory());

    Deadline start(Stream stream, Duration timeout) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> f = scheduler.schedule(() -> {
            fired.set(true);
            stream.reset();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return new Deadline(f, fired);
    }

    /** Runs {@code task} every {@code period} until closed; a failure is logged and the next run goes ahead. */
    void repeat(Runnable task, Duration period) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("periodic kad stream task failed", e);
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
