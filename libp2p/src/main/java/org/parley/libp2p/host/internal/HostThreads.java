package org.parley.libp2p.host.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and counts the virtual threads of one host, so that {@link #awaitAll} can wait for them at
 * close and tests can prove none leaks. Thread safe.
 */
final class HostThreads {

    private static final Logger log = LoggerFactory.getLogger(HostThreads.class);

    private final String prefix;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();

    HostThreads(String prefix) {
        this.prefix = prefix;
    }

    /** Starts {@code task} on a new virtual thread named after the host and {@code name}. */
    Thread start(String name, Runnable task) {
        Thread thread = create(name, task);
        thread.start();
        return thread;
    }

    /** A factory of counted threads named after {@code name}, for the transports' accept loops and the timer. */
    ThreadFactory factory(String name) {
        return task -> create(name, task);
    }

    private Thread create(String name, Runnable task) {
        Thread thread = Thread.ofVirtual().name(prefix + name).unstarted(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("host thread {} failed", Thread.currentThread().getName(), t);
            } finally {
                live.remove(Thread.currentThread());
                lock.lock();
                try {
                    ended.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        live.add(thread);
        return thread;
    }

    /** Threads started by this host that have not ended. */
    int liveCount() {
        return live.size();
    }

    /**
     * Waits until at most {@code count} threads are live (the caller's own thread, if it is one of
     * ours, counts as ended).
     *
     * @return true if reached within {@code timeout}
     */
    boolean awaitAtMost(int count, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (othersLive() > count) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = ended.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every thread but the caller's has ended; logs the stragglers on timeout. */
    void awaitAll(Duration timeout) {
        try {
            if (!awaitAtMost(0, timeout)) {
                log.error("{} host threads still running {} ms after close: {}", othersLive(), timeout.toMillis(),
                        live.stream().map(Thread::getName).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int othersLive() {
        int n = live.size();
        return live.contains(Thread.currentThread()) ? n - 1 : n;
    }
}
