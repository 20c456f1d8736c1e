package org.parley.libp2p.testing;

import java.time.Duration;

/** Test helpers for threads that must be seen blocked before a test goes on. */
public final class Threads {

    /** Generous for a loaded machine; a thread that does not block within it never will. */
    private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(10);

    private Threads() {}

    /**
     * Waits until {@code thread} is parked (waiting on a lock, condition or I/O), so that a test can
     * then check that something wakes it. Fails if it ends or does not block in time.
     */
    public static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + BLOCK_TIMEOUT.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(thread + " ended instead of blocking");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " did not block within " + BLOCK_TIMEOUT + "; state " + state);
            }
            Thread.yield();
        }
    }
}
