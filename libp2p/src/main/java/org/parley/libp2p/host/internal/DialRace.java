package org.parley.libp2p.host.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Collects the outcomes of dials run in parallel to one peer: the first success wins, later
 * successes are handed to {@code discard} at once, failures are kept for the error message.
 * Thread safe: dial threads report, one waiter takes the result.
 *
 * @param <T> what a successful dial yields
 */
final class DialRace<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Consumer<T> discard;
    private final List<Exception> failures = new ArrayList<>();
    private int pending;
    private boolean decided;
    private T winner;

    DialRace(int dials, Consumer<T> discard) {
        this.pending = dials;
        this.discard = discard;
    }

    /** A dial succeeded: it wins if it is the first, else it is discarded. */
    void succeeded(T result) {
        lock.lock();
        try {
            pending--;
            if (!decided) {
                decided = true;
                winner = result;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        discard.accept(result);
    }

    void failed(Exception failure) {
        lock.lock();
        try {
            pending--;
            failures.add(failure);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the first success; null once every dial failed (see {@link #failures()}). If the
     * wait is interrupted, the race is decided as lost and a late winner is discarded.
     */
    T await() throws InterruptedException {
        lock.lock();
        try {
            while (winner == null && pending > 0) {
                changed.await();
            }
            decided = true;
            return winner;
        } catch (InterruptedException e) {
            decided = true;
            if (winner != null) {
                discard.accept(winner);
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }

    List<Exception> failures() {
        lock.lock();
        try {
            return List.copyOf(failures);
        } finally {
            lock.unlock();
        }
    }
}
