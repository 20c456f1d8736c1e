package org.parley.chat.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.MuxedStream;

/**
 * Resets a stream when a blocking read or write on it takes longer than a timeout, which wakes the
 * blocked thread with an exception; {@link #expired()} then tells a timeout from a peer's reset.
 * Armed around one wait at a time, in try-with-resources: {@code try (StreamTimeout t = watch.arm())}.
 *
 * <p>One watch serves every wait of one kind on a stream (each frame read, each ack read). Arming
 * only writes a deadline: the watch's one timer task wakes at the deadline it last saw and, if the
 * stream has moved on since, sleeps again until the new one. A timer task per wait would cost a
 * schedule and a cancel for every chat frame, and on a busy node wake the timer thread thousands
 * of times a second. A watch whose task finds it disarmed lets the task end, and the next
 * {@link #arm} schedules another; so a watch needs no closing beyond its last wait. Thread safe:
 * one wait armed at a time.
 */
final class StreamTimeout implements AutoCloseable {

    /** One daemon timer for the module: it only resets streams, which does not block. */
    private static final ScheduledExecutorService TIMER = newTimer();

    private final MuxedStream stream;
    private final long timeoutNanos;
    /** When the wait armed now times out, by {@link System#nanoTime}; written before {@link #armed}. */
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean expired;
    /** Whether a timer task is pending for this watch: at most one is. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private StreamTimeout(MuxedStream stream, Duration timeout) {
        this.stream = stream;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A watch over {@code stream}'s waits, none armed yet. */
    static StreamTimeout watching(MuxedStream stream, Duration timeout) {
        return new StreamTimeout(stream, timeout);
    }

    /** A watch over one wait, armed now. */
    static StreamTimeout start(MuxedStream stream, Duration timeout) {
        return watching(stream, timeout).arm();
    }

    /** Starts the timeout of the next wait; returns this watch, whose {@link #close} ends that wait. */
    StreamTimeout arm() {
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        scheduleIfNone(timeoutNanos);
        return this;
    }

    boolean expired() {
        return expired;
    }

    /** Ends the wait armed now (its timeout no longer applies). */
    @Override
    public void close() {
        armed = false;
    }

    private void scheduleIfNone(long delayNanos) {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            TIMER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The timer task: resets the stream if the armed wait is past its deadline, else follows the deadline. */
    private void check() {
        if (armed) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                expired = true;
                scheduled.set(false);
                stream.reset();
            } else {
                TIMER.schedule(this::check, remaining, TimeUnit.NANOSECONDS);
            }
            return;
        }
        scheduled.set(false);
        if (armed) {
            // Armed again between the look above and the flag's release, whose arm() saw a task pending.
            scheduleIfNone(Math.max(0, deadline - System.nanoTime()));
        }
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
