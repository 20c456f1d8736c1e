package org.parley.node.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits the writes of callers that arrive together in one transaction: a commit (SQLite's WAL
 * write) costs more than the few inserts of one chat message, and concurrent senders would
 * otherwise pay one each. The first caller leads: it runs every waiting caller's work, in arrival
 * order, in one transaction, and wakes them; each caller returns only once its own work is
 * committed, so what a caller is told was stored is stored.
 *
 * <p>A group commit made with a gather window ({@link #GroupCommit(NodeDatabase, Duration)}) also
 * waits for callers that come one after another: a leader that comes alone less than
 * {@link #BUSY_NANOS} after the previous group committed waits the window (or until
 * {@link #GATHER_ENOUGH} callers wait) before it takes the group, so a steady stream of sends
 * (200 µs apart at 5,000 a second) shares a commit too. A caller on a node that sends now and
 * then, or among callers already waiting together, never waits for it. Chat's sends use one
 * ({@code MessageStore}): at 5,000 messages a second each took a commit of its own, and the CPU
 * those commits cost filled the machine's queues.
 *
 * <p>A work that fails rolls back the whole group, which is then run again one work per
 * transaction, so only the failing caller sees its failure. The work runs on the leader's
 * thread: it must be plain database work that takes no lock a caller may hold.
 *
 * <p>Thread safe.
 */
public final class GroupCommit {

    /** Works one transaction takes at most: bounds what a leader does for others before it returns. */
    static final int MAX_GROUP = 256;

    /**
     * How recently the previous group must have committed for a leader to wait its gather window:
     * callers that came that close together are likely to keep coming.
     */
    static final long BUSY_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /**
     * Callers waiting at which a gathering leader stops waiting: enough to share a commit's cost,
     * and reached at once when many callers write together (a flood of sends from several
     * clients), which then lose no time to the window.
     */
    static final int GATHER_ENOUGH = 8;

    private final NodeDatabase database;
    /** How long a leader waits for more callers while busy; zero: never. */
    private final long gatherNanos;
    private final long busyNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    /** Signalled when a caller comes while a leader gathers. */
    private final Condition arrived = lock.newCondition();
    /** Works waiting for a leader, in arrival order; guarded by {@code lock}. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Whether a leader is committing now; guarded by {@code lock}. */
    private boolean leading;
    /** Whether the leader is waiting its gather window now; guarded by {@code lock}. */
    private boolean gathering;
    /** When the last group committed, by {@link System#nanoTime}; guarded by {@code lock}. */
    private long lastCommitted;
    /** Transactions the groups took, a failed group's retries included: for tests. */
    private long transactions;

    /** A group commit whose leaders take what is waiting at once. */
    public GroupCommit(NodeDatabase database) {
        this(database, Duration.ZERO);
    }

    /** A group commit whose leaders, while callers keep coming, wait {@code gather} for more first. */
    public GroupCommit(NodeDatabase database, Duration gather) {
        this(database, gather, BUSY_NANOS);
    }

    /** As above, busy while the previous group committed less than {@code busyNanos} ago: for tests. */
    GroupCommit(NodeDatabase database, Duration gather, long busyNanos) {
        this.database = database;
        this.gatherNanos = gather.toNanos();
        this.busyNanos = busyNanos;
        this.lastCommitted = System.nanoTime() - busyNanos;
    }

    /** One caller's work and, once it ran, how it ended; guarded by {@code lock}. */
    private static final class Pending {
        final SqlWork<?> work;
        boolean done;
        Exception failure;

        Pending(SqlWork<?> work) {
            this.work = work;
        }
    }

    /**
     * Runs {@code work} in a transaction, perhaps shared with other callers' work, and returns
     * once it is committed.
     *
     * @throws StorageException if it failed (and was rolled back); others' failures are theirs
     */
    public void write(SqlWork<?> work) throws StorageException {
        if (database.inTransaction()) {
            // Inside the caller's own transaction the work joins it: committing it early with
            // others would break that transaction's all-or-nothing.
            database.transaction(work);
            return;
        }
        Pending mine = new Pending(work);
        lock.lock();
        try {
            waiting.add(mine);
            if (gathering && waiting.size() >= GATHER_ENOUGH) {
                arrived.signal();
            }
            while (!mine.done) {
                if (leading) {
                    committed.awaitUninterruptibly();
                    continue;
                }
                // Lead: commit what is waiting (this caller's work among it, unless more than a
                // group was waiting before it; then it leads again).
                leading = true;
                gatherWhileBusy();
                List<Pending> group = new ArrayList<>(Math.min(waiting.size(), MAX_GROUP));
                while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
                    group.add(waiting.poll());
                }
                lock.unlock();
                try {
                    commit(group);
                } finally {
                    lock.lock();
                    for (Pending p : group) {
                        if (!p.done) {
                            // commit() ended in an Error: no waiter may wait on for a result that never comes.
                            p.failure = new IllegalStateException("the shared commit did not finish");
                            p.done = true;
                        }
                    }
                    leading = false;
                    lastCommitted = System.nanoTime();
                    committed.signalAll();
                }
            }
            rethrow(mine);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits the gather window (the lock let go while it waits), or until {@link #GATHER_ENOUGH}
     * callers wait, if the leader came alone moments after the previous group committed; called by
     * the leader under {@code lock}. Callers that already wait together need no window.
     */
    private void gatherWhileBusy() {
        if (gatherNanos == 0 || waiting.size() > 1 || System.nanoTime() - lastCommitted >= busyNanos) {
            return;
        }
        gathering = true;
        try {
            long nanos = gatherNanos;
            while (nanos > 0 && waiting.size() < GATHER_ENOUGH) {
                nanos = arrived.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            gathering = false;
        }
    }

    /** Commits {@code group} together, or each alone if one fails; records how each ended. */
    private void commit(List<Pending> group) {
        List<Exception> outcomes = new ArrayList<>(group.size());
        int taken = 1;
        try {
            database.transaction(c -> {
                for (Pending p : group) {
                    p.work.run(c);
                }
                return null;
            });
            group.forEach(p -> outcomes.add(null));
        } catch (StorageException | RuntimeException together) {
            for (Pending p : group) {
                taken++;
                try {
                    database.transaction(p.work);
                    outcomes.add(null);
                } catch (StorageException | RuntimeException alone) {
                    outcomes.add(alone);
                }
            }
        }
        lock.lock();
        try {
            transactions += taken;
            for (int i = 0; i < group.size(); i++) {
                group.get(i).failure = outcomes.get(i);
                group.get(i).done = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Works waiting for a leader now. */
    int waiting() {
        return guarded(waiting::size);
    }

    /** Whether a leader is committing now. */
    boolean leading() {
        return guarded(() -> leading);
    }

    long transactions() {
        return guarded(() -> transactions);
    }

    private <T> T guarded(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private static void rethrow(Pending p) throws StorageException {
        if (p.failure instanceof StorageException s) {
            throw s;
        }
        if (p.failure instanceof RuntimeException r) {
            throw r;
        }
    }
}
