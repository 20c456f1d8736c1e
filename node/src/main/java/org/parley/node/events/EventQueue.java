package org.parley.node.events;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscriber's bounded queue: {@link #offer} never blocks and, when full, drops the oldest
 * event; the taker then receives one {@link NodeEvent.EventsDropped} with the count, in the place
 * of the events it lost. Thread safe: any number of offering threads, one taker.
 */
final class EventQueue {

    private final int capacity;
    private final ArrayDeque<NodeEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long dropped;
    private boolean closed;

    EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an event queue holds at least one event, got " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    /** Adds {@code event}, dropping the oldest if full; does nothing once closed. Never blocks on the taker. */
    void offer(NodeEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (events.size() == capacity) {
                events.pollFirst();
                dropped++;
            }
            events.addLast(event);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, the drop marker first if events were lost, waiting up to {@code timeout};
     * null on timeout or once closed.
     */
    NodeEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!ready()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, the drop marker first if events were lost, waiting as long as it takes;
     * null once closed. Unlike a {@link #poll} with a long timeout, its wait arms no timer: a
     * virtual thread's timed wait schedules and cancels a wake-up on the JDK's timer thread, once
     * for every event a busy node delivers.
     */
    NodeEvent take() throws InterruptedException {
        lock.lock();
        try {
            while (!ready()) {
                changed.await();
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a taker has something to return: an event, the drop marker, or the close. Under {@code lock}. */
    private boolean ready() {
        return closed || dropped > 0 || !events.isEmpty();
    }

    /** What a ready queue hands out next. Under {@code lock}. */
    private NodeEvent next() {
        if (closed) {
            return null;
        }
        if (dropped > 0) {
            NodeEvent marker = new NodeEvent.EventsDropped(dropped);
            dropped = 0;
            return marker;
        }
        return events.pollFirst();
    }

    /** Discards what is queued and wakes the taker, which then gets null. */
    void close() {
        lock.lock();
        try {
            closed = true;
            events.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
