package org.parley.libp2p.host.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a host logs that a peer broke a protocol: at WARN, but at most
 * {@link #LINES_PER_WINDOW} lines per {@link #WINDOW}; the rest are counted, logged at DEBUG, and
 * their number is added to the next WARN line. A flood of garbage connections then costs a few
 * log lines a minute instead of megabytes. The layers below (Noise, yamux) log faults at DEBUG
 * only and leave the report to the host. Thread safe.
 */
final class MisbehaviourLog {

    /** Enough to see what kind of misbehaviour is going on; a flood adds nothing beyond its count. */
    static final int LINES_PER_WINDOW = 10;

    /** The budget's period. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger("org.parley.libp2p.peer-faults");

    private final LongSupplier nanoTime;
    private long windowStart;
    private int linesInWindow;
    private long notLogged;
    private long total;

    MisbehaviourLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /**
     * Reports one fault of one peer; {@code format} and {@code args} as for SLF4J. Returns true if
     * it was logged at WARN.
     */
    boolean report(String format, Object... args) {
        long skipped;
        synchronized (this) {
            total++;
            long now = nanoTime.getAsLong();
            if (now - windowStart >= WINDOW.toNanos()) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow >= LINES_PER_WINDOW) {
                notLogged++;
                skipped = -1;
            } else {
                linesInWindow++;
                skipped = notLogged;
                notLogged = 0;
            }
        }
        if (skipped < 0) {
            log.debug(format, args);
            return false;
        }
        if (skipped == 0) {
            log.warn(format, args);
        } else {
            Object[] more = Arrays.copyOf(args, args.length + 1);
            more[args.length] = skipped;
            log.warn(format + " ({} more peer faults since the last such line were not logged)", more);
        }
        return true;
    }

    /** Faults reported since the host started, logged or not. */
    synchronized long total() {
        return total;
    }
}
