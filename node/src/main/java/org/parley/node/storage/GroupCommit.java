package org.parley.node.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits the writes of callers that arrive together in one transaction: a commit (SQLite's WAL
 * write) costs more than the few inserts of one chat message, and concurrent senders would
 * otherwise pay one each. The first caller leads: it runs every waiting caller's work, in arrival
 * order, in one transaction, and wakes them; each caller returns only once its own work is
 * committed, so what a caller is told was stored is stored.
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

    private final NodeDatabase database;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    /** Works waiting for a leader, in arrival order; guarded by {@code lock}. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Whether a leader is committing now; guarded by {@code lock}. */
    private boolean leading;
    /** Transactions the groups took, a failed group's retries included: for tests. */
    private long transactions;

    public GroupCommit(NodeDatabase database) {
        this.database = database;
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
            while (!mine.done) {
                if (leading) {
                    committed.awaitUninterruptibly();
                    continue;
                }
                // Lead: commit what is waiting (this caller's work among it, unless more than a
                // group was waiting before it; then it leads again).
                leading = true;
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
                    committed.signalAll();
                }
            }
            rethrow(mine);
        } finally {
            lock.unlock();
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
