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
 * over from its beginning, so the file stays small. The node's connection keeps a checkpoint of
 * its own at {@link #BACKSTOP_PAGES}, should this one fall behind or fail.
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

    /** How long a close waits for a checkpoint under way (two fsyncs on a busy disk). */
    private static final long STOP_MILLIS = 5_000;

    private final Path file;
    private final Connection connection;
    /** A wake-up after writes: one pending token is enough, since a checkpoint takes in every commit before it. */
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    private WalCheckpointer(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.thread = Thread.ofPlatform().daemon().name("parley-db-checkpoint").unstarted(this::run);
    }

    /** Opens a second connection to {@code file} (a WAL database) and starts checkpointing after writes. */
    static WalCheckpointer start(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        WalCheckpointer checkpointer = new WalCheckpointer(file, connection);
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
                checkpoint();
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (result.next() && log.isTraceEnabled()) {
                log.trace("checkpoint of {}: {} WAL frames, {} copied", file, result.getInt(2), result.getInt(3));
            }
        } catch (SQLException e) {
            // The node's connection checkpoints by itself at BACKSTOP_PAGES; the next write tries again.
            log.warn("checkpoint of {} failed: {}", file, e.getMessage());
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
