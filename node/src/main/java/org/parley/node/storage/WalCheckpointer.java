package org.parley.node.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed WAL frames into the database file on a connection and a thread of its own, so
 * that the node's connection does not. SQLite's own checkpoint runs inside the commit that fills
 * the WAL past its threshold: that commit copies a thousand pages and waits for two fsyncs while
 * it holds {@link NodeDatabase}'s one lock, and every reader and writer of the node waits behind
 * it (at a few thousand chat messages a second, a pause of tens of milliseconds every second or
 * so). Here the copy runs beside them: a WAL-mode database lets a checkpoint run while another
 * connection reads and writes.
 *
 * <p>It runs after writes only ({@link #written}), at most once per {@link #PAUSE_MILLIS}, so an
 * idle node does not wake for it. Each run is {@code PASSIVE}: it copies what no reader still
 * needs and never waits for a lock. When it has copied everything, the next write starts the WAL
 * over from its beginning, so the file stays small.
 *
 * <p>Under writes that never pause (thousands of chat messages a second) the WAL never starts
 * over by itself, even when a run copies every frame: a commit that began before the run ended
 * appends after it. The WAL then grows until the node's connection checkpoints at
 * {@link #BACKSTOP_PAGES} inside a commit, with two fsyncs under the node's lock: 10 to 15 ms on
 * this project's virtual test machines, every few hundred milliseconds, and the slowest of the
 * chat messages in flight waited for it. So once the WAL reaches {@link #CATCH_UP_FRAMES}, a run
 * is followed at once by a catch-up holding the node's lock ({@code writers}): no commit is under
 * way, the few frames left since the run are copied, and the next write starts the WAL over (6 ms
 * at the median under the lock, on the same machines). A writer that gives the lock no moment
 * (a loop of commits with nothing between them) leaves it to the backstop, as before.
 *
 * <p>It runs on a platform thread: a checkpoint is native code that waits for the disk, and a
 * virtual thread would hold its carrier for all that time. Thread safe.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    /**
     * Time between two checkpoints while writes go on: long enough that one checkpoint takes in many
     * commits (a page written by each of them is copied once), short enough that the WAL stays a
     * few MiB at the node's highest write rates.
     */
    static final long PAUSE_MILLIS = 100;

    /**
     * The WAL size, in pages, at which the node's own connection checkpoints in its commit, as
     * SQLite does by default at 1,000: about 40 MiB, reached only if this checkpointer falls behind.
     */
    static final int BACKSTOP_PAGES = 10_000;

    /**
     * The WAL length, in frames, from which a run is followed at once by a catch-up under the
     * node's lock: about 16 MiB, a few tenths of a second of the heaviest chat writing, well short
     * of {@link #BACKSTOP_PAGES}.
     */
    static final int CATCH_UP_FRAMES = 4_000;

    /** How long a close waits for a checkpoint under way (two fsyncs on a busy disk). */
    private static final long STOP_MILLIS = 5_000;

    private final Path file;
    private final Connection connection;
    /** The node connection's lock: held, no commit of the node's can append to the WAL. */
    private final Object writers;
    /** A wake-up after writes: one pending token is enough, since a checkpoint takes in every commit before it. */
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    private WalCheckpointer(Path file, Connection connection, Object writers) {
        this.file = file;
        this.connection = connection;
        this.writers = writers;
        this.thread = Thread.ofPlatform().daemon().name("parley-db-checkpoint").unstarted(this::run);
    }

    /**
     * Opens a second connection to {@code file} (a WAL database) and starts checkpointing after
     * writes; {@code writers} is the lock every use of the node's connection holds.
     */
    static WalCheckpointer start(Path file, Object writers) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        WalCheckpointer checkpointer = new WalCheckpointer(file, connection, writers);
        checkpointer.thread.start();
        return checkpointer;
    }

    /** Tells the checkpointer that a transaction committed. Never blocks. */
    void written() {
        wake.offer(Boolean.TRUE);
    }

    private void run() {
        try {
            while (true) {
                wake.take();
                if (checkpoint().atLeast(CATCH_UP_FRAMES)) {
                    // Copied or not, frames keep coming: only with no commit under way can the
                    // WAL be left fully copied for the next write to start it over.
                    synchronized (writers) {
                        checkpoint();
                    }
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How a checkpoint ended: the WAL's length in frames, and how many of them are now in the
     * database file (both -1 when it could not run, as SQLite reports a busy WAL).
     */
    record Outcome(int frames, int copied) {
        static final Outcome FAILED = new Outcome(-1, -1);

        /** Whether the WAL had at least {@code length} frames. */
        boolean atLeast(int length) {
            return frames >= length;
        }
    }

    private Outcome checkpoint() {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (!result.next()) {
                return Outcome.FAILED;
            }
            Outcome outcome = new Outcome(result.getInt(2), result.getInt(3));
            if (log.isTraceEnabled()) {
                log.trace("checkpoint of {}: {} WAL frames, {} copied", file, outcome.frames(), outcome.copied());
            }
            return outcome;
        } catch (SQLException e) {
            // The node's connection checkpoints by itself at BACKSTOP_PAGES; the next write tries again.
            log.warn("checkpoint of {} failed: {}", file, e.getMessage());
            return Outcome.FAILED;
        }
    }

    /** Stops after a checkpoint under way, and closes the connection. */
    @Override
    public void close() throws SQLException {
        thread.interrupt();
        try {
            thread.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
