package org.parley.node.files;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds the node's downloads to a rate in bytes a second: each verified piece takes its length in
 * tokens before it is written, and a writer that finds too few waits until the bucket has refilled
 * them. The bucket holds at most one second of tokens, so an idle spell allows a burst of one
 * second's worth and no more. A piece larger than the bucket still passes: the bucket goes into
 * debt and the next writers wait it off. A rate of {@link #UNLIMITED} never waits. Thread safe; the
 * rate can change while downloads run.
 */
final class TokenBucket {

    /** The rate meaning "no limit". */
    static final long UNLIMITED = 0;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Waits for a number of nanoseconds; a test passes one that only advances its clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long rate;
    /** Tokens on hand, negative while in debt; at most {@code rate}. */
    private double tokens;
    private long refilledAt;

    TokenBucket(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    TokenBucket(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.refilledAt = nanoTime.getAsLong();
        setRate(bytesPerSecond);
    }

    /** The rate in bytes a second, {@link #UNLIMITED} for none. */
    synchronized long rate() {
        return rate;
    }

    /** Changes the rate at once; a full bucket of the new rate, so a lowered limit bites at once too. */
    synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate is at least 0 bytes a second, not " + bytesPerSecond);
        }
        refill();
        rate = bytesPerSecond;
        tokens = Math.min(tokens, bytesPerSecond);
        if (bytesPerSecond == UNLIMITED) {
            tokens = 0;
        }
    }

    /**
     * Takes {@code bytes} tokens, waiting until the bucket has paid for them. If the waiting thread
     * is interrupted it returns at once with its interrupt flag set (the caller's thread is being
     * stopped; holding it longer helps no one).
     */
    void take(int bytes) {
        long waitNanos = reserve(bytes);
        if (waitNanos <= 0) {
            return;
        }
        try {
            sleeper.sleep(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes {@code bytes} tokens at once, into debt if need be; how long the taker must wait. */
    synchronized long reserve(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot take " + bytes + " bytes");
        }
        if (rate == UNLIMITED) {
            return 0;
        }
        refill();
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / rate);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - refilledAt;
        refilledAt = now;
        if (rate != UNLIMITED && elapsed > 0) {
            tokens = Math.min(rate, tokens + (double) elapsed * rate / NANOS_PER_SECOND);
        }
    }
}
