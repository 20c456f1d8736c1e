package org.parley.node.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one thread holds back for the one transaction that ends them, so that work which only
 * computes (a libsignal encryption or decryption, whose stores write a session row) runs without
 * the database's lock, and only its rows are written under it. Opened by
 * {@link NodeDatabase#deferWrites()}; while open, {@link NodeDatabase#write} on this thread keeps
 * each write here instead of running it, and {@link NodeDatabase#transaction} refuses to run, since
 * a commit then would commit some held writes and not others.
 *
 * <p>Each write comes with the undo of the in-memory copy its caller keeps (a store's cache): the
 * caller changes that copy at once, so later work on this thread sees it, and the undo puts it back
 * if the writes are never committed: if {@link #commit}'s transaction rolls back, or if this closes
 * without a commit.
 *
 * <p>Not thread safe: one thread's, from open to close.
 */
public final class DeferredWrites implements AutoCloseable {

    private record Held(SqlWork<?> sql, Runnable undo) {}

    private final NodeDatabase database;
    private final List<Held> held = new ArrayList<>();
    private boolean open = true;
    private boolean committed;

    DeferredWrites(NodeDatabase database) {
        this.database = database;
    }

    void add(SqlWork<?> sql, Runnable undo) {
        held.add(new Held(sql, undo));
    }

    /** How many writes are held now: a mark for {@link #undoTo}. */
    public int mark() {
        return held.size();
    }

    /** Drops the writes held since {@code mark}, undoing their in-memory copies, newest first. */
    public void undoTo(int mark) {
        while (held.size() > mark) {
            held.removeLast().undo().run();
        }
    }

    /**
     * Ends the deferral and runs, in one transaction, the held writes in the order they came and
     * then {@code work}, whose own writes go straight into that transaction. If it rolls back, the
     * held writes' in-memory copies are undone with it.
     */
    public <T> T commit(SqlWork<T> work) throws StorageException {
        end();
        boolean[] registered = {false};
        try {
            T result = database.transaction(c -> {
                // Registered before the first write runs: a write that fails midway undoes every copy.
                held.forEach(h -> database.onRollback(h.undo()));
                registered[0] = true;
                for (Held h : held) {
                    h.sql().run(c);
                }
                return work.run(c);
            });
            committed = true;
            return result;
        } finally {
            if (!committed && registered[0]) {
                held.clear(); // the rollback has undone them
            }
        }
    }

    /** Undoes every held write's in-memory copy unless {@link #commit} committed them. */
    @Override
    public void close() {
        end();
        if (!committed) {
            undoTo(0);
        }
    }

    private void end() {
        if (open) {
            open = false;
            database.endDeferral(this);
        }
    }
}
