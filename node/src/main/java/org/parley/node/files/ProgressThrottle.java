package org.parley.node.files;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Lets a transfer's progress out at most once per {@link #INTERVAL}, however fast pieces arrive,
 * so the event bus and the web page see a bounded rate. Thread safe.
 */
final class ProgressThrottle {

    /**
     * Four updates a second: a progress bar looks smooth, and a fast download (thousands of pieces
     * a second) costs the page four events a second, not thousands.
     */
    static final Duration INTERVAL = Duration.ofMillis(250);

    private final InstantSource clock;
    private Instant last;

    ProgressThrottle(InstantSource clock) {
        this.clock = clock;
    }

    /** Whether an update may go out now; if so, the next one waits a full interval. */
    synchronized boolean tryAcquire() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.plus(INTERVAL))) {
            return false;
        }
        last = now;
        return true;
    }
}
