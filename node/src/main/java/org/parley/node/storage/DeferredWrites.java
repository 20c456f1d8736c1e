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

    /** Work whose writes this holds, with the exception it may throw. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code attempt} inside this deferral: if it throws, the writes it added are dropped
     * and their in-memory copies undone, newest first, and those held before it stay.
     */
    public <T, E extends Exception> T keepIfReturns(Attempt<T, E> attempt) throws E {
        int before = held.size();
        boolean returned = false;
        try {
            T result = attempt.run();
            returned = true;
            return result;
        } finally {
            if (!returned) {
                undoTo(before);
            }
        }
    }

    /**
     * Ends the deferral and runs, in one transaction, the held writes in the order they came and
     * then {@code work}, whose own writes go straight into that transaction. If it fails, the held
     * writes' in-memory copies are undone.
     */
    public <T> T commit(SqlWork<T> work) throws StorageException {
        end();
        try {
            T result = database.transaction(c -> {
                for (Held h : held) {
                    h.sql().run(c);
                }
                return work.run(c);
            });
            committed = true;
            return result;
        } finally {
            if (!committed) {
                undoTo(0);
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

    /** Drops all but the first {@code mark} held writes, undoing their in-memory copies, newest first. */
    private void undoTo(int mark) {
        while (held.size() > mark) {
            held.removeLast().undo().run();
        }
    }

    private void end() {
        if (open) {
            open = false;
            database.endDeferral(this);
        }
    }
}
