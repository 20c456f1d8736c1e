package org.parley.node.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The node's one SQLite database, {@code <data-dir>/parley.db}: WAL journal, foreign keys on,
 * schema brought up to date by {@link SchemaMigrations} when opened. The file and its
 * {@code -wal} and {@code -shm} companions are owner-only.
 *
 * <p>It refuses, without changing the file, a database from a newer Parley and one that is not a
 * readable SQLite database, with a message saying how to recover. Only the node's store
 * implementations use it; protocol modules see store interfaces, never JDBC.
 *
 * <p>Thread safe: one connection, used by one caller at a time.
 */
public final class NodeDatabase implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeDatabase.class);

    /**
     * How long a statement waits for a lock held by another connection (a {@code sqlite3} shell,
     * a backup) before failing: long enough for a backup step, short enough to surface a stuck holder.
     */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** Every SQLite 3 file starts with these 16 bytes. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;
    private final Connection connection;
    /** The connection the work sees: the same one, its prepared statements kept for reuse. */
    private final StatementCache statements;
    /** Held by each reader and writer of the connection, and by the checkpointer's catch-up ({@link WalCheckpointer}). */
    private final Object lock;
    /** How deep the work running now is nested (a read's work may begin a transaction); guarded by {@code lock}. */
    private int depth;
    /**
     * The thread inside {@link #transaction}, if any; written under {@code lock}, volatile so that
     * {@link #inTransaction} can ask without waiting for the lock.
     */
    private volatile Thread transactionThread;
    /** What to undo in memory if the transaction under way rolls back; guarded by {@code lock}. */
    private final java.util.List<Runnable> onRollback = new java.util.ArrayList<>();

    /** Each thread's open {@link DeferredWrites}, if any. */
    private final ThreadLocal<DeferredWrites> deferred = new ThreadLocal<>();

    /** Checkpoints the WAL beside this connection; null if it could not start (SQLite's own then does). */
    private final WalCheckpointer checkpointer;

    private NodeDatabase(Path file, Connection connection, Object lock, WalCheckpointer checkpointer) {
        this.file = file;
        this.connection = connection;
        this.lock = lock;
        this.checkpointer = checkpointer;
        this.statements = new StatementCache(connection);
    }

    /**
     * Opens (or creates) the database in {@code file} and migrates its schema to the newest.
     *
     * @throws StorageException if it is not a readable SQLite database or was written by a newer
     *     Parley; the file is then left as it is
     */
    public static NodeDatabase open(Path file) throws StorageException {
        boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (existed) {
            checkHeader(file);
        } else {
            createOwnerOnly(file);
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, driverSettings());
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
        try {
            int version;
            try {
                // Reads only: nothing is written before the version is known to be ours.
                version = SchemaMigrations.currentVersion(connection);
            } catch (SQLException e) {
                throw unreadable(file, e);
            }
            if (version > SchemaMigrations.LATEST) {
                throw new StorageException(file + " has schema version " + version + ", but this Parley knows versions"
                        + " up to " + SchemaMigrations.LATEST + ": it was written by a newer Parley. Start that"
                        + " version (this one leaves the database unchanged)");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = NORMAL");
                statement.execute("PRAGMA foreign_keys = ON");
                statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
                SchemaMigrations.migrate(connection, version);
            } catch (SQLException e) {
                throw failure(file, "preparing", e);
            }
            restrictCompanions(file);
            Object lock = new Object();
            return new NodeDatabase(file, connection, lock, checkpointer(file, connection, lock));
        } catch (StorageException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Starts the checkpointer and leaves the node's connection a checkpoint of its own only for
     * when the WAL grows far past SQLite's default; without a checkpointer, SQLite's default stays.
     */
    private static WalCheckpointer checkpointer(Path file, Connection connection, Object lock) {
        WalCheckpointer checkpointer;
        try {
            checkpointer = WalCheckpointer.start(file, lock);
        } catch (SQLException e) {
            log.warn("checkpoints of {} run inside commits: no second connection for them ({})", file, e.getMessage());
            return null;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = " + WalCheckpointer.BACKSTOP_PAGES);
            return checkpointer;
        } catch (SQLException e) {
            closeQuietly(checkpointer);
            log.warn("checkpoints of {} run inside commits: its threshold did not change ({})", file, e.getMessage());
            return null;
        }
    }

    /**
     * The driver's settings. Generated keys off: with them on, the driver runs a second query after
     * every INSERT and keeps its result open, which costs each insert a statement and leaves a kept
     * statement running (SQLite then refuses a VACUUM). Code that needs a new row's id says
     * {@code RETURNING id}.
     */
    private static java.util.Properties driverSettings() {
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(false);
        return config.toProperties();
    }

    /** The schema version now in the file. */
    public int schemaVersion() throws StorageException {
        return read(SchemaMigrations::currentVersion);
    }

    /** Runs {@code work} on the connection in autocommit mode (each statement on its own). */
    public <T> T read(SqlWork<T> work) throws StorageException {
        synchronized (lock) {
            try {
                return run(work);
            } catch (SQLException e) {
                throw failure(file, "reading", e);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. A
     * transaction begun inside another on the same thread joins it (its work commits or rolls back
     * with the outer one), so a caller can group several writers' work into one commit.
     */
    public <T> T transaction(SqlWork<T> work) throws StorageException {
        if (deferred.get() != null) {
            // It would commit some of the held writes' work and not the rest.
            throw new IllegalStateException("a transaction while this thread defers its writes: end them with"
                    + " DeferredWrites.commit first");
        }
        synchronized (lock) {
            if (transactionThread == Thread.currentThread()) {
                try {
                    return run(work);
                } catch (SQLException e) {
                    throw failure(file, "writing", e);
                }
            }
            transactionThread = Thread.currentThread();
            try {
                connection.setAutoCommit(false);
                try {
                    T result = run(work);
                    connection.commit();
                    if (checkpointer != null) {
                        checkpointer.written();
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    onRollback.forEach(Runnable::run);
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw failure(file, "writing", e);
            } finally {
                transactionThread = null;
                onRollback.clear();
            }
        }
    }

    /**
     * Whether the calling thread is inside a {@link #transaction}; never waits (only this thread
     * could have made the answer yes).
     */
    public boolean inTransaction() {
        return transactionThread == Thread.currentThread();
    }

    /**
     * Runs {@code work} on the connection with its statements cached; when the outermost work ends,
     * the statements it left open are given back (reset) before anything commits. Called under
     * {@code lock}.
     */
    private <T> T run(SqlWork<T> work) throws SQLException {
        depth++;
        try {
            return work.run(statements.connection());
        } finally {
            if (--depth == 0) {
                statements.reclaim();
            }
        }
    }

    /**
     * Holds back this thread's {@link #write}s until the returned deferral commits them (see
     * {@link DeferredWrites}); close it in a finally block.
     *
     * @throws IllegalStateException if this thread is in a transaction or already defers
     */
    public DeferredWrites deferWrites() {
        if (inTransaction() || deferred.get() != null) {
            throw new IllegalStateException("writes can be deferred only outside a transaction, once per thread");
        }
        DeferredWrites writes = new DeferredWrites(this);
        deferred.set(writes);
        return writes;
    }

    /** This thread's open deferral, if it holds its writes back now. */
    public Optional<DeferredWrites> deferral() {
        return Optional.ofNullable(deferred.get());
    }

    void endDeferral(DeferredWrites writes) {
        if (deferred.get() == writes) {
            deferred.remove();
        }
    }

    /**
     * Writes {@code sql}, whose caller keeps an in-memory copy of what it writes and changes that
     * copy itself once this returns; {@code undo} puts the copy back if the write is never
     * committed. Outside a deferral it is a transaction of its own, or joins the one this thread is
     * in; inside one, it waits for the deferral's commit.
     */
    public void write(SqlWork<?> sql, Runnable undo) throws StorageException {
        DeferredWrites writes = deferred.get();
        if (writes != null) {
            writes.add(sql, undo);
            return;
        }
        transaction(c -> {
            onRollback(undo);
            return sql.run(c);
        });
    }

    /**
     * Runs {@code undo} if the transaction the calling thread is in rolls back, so that a cache a
     * store keeps beside its rows never holds what was not committed. Called from inside
     * {@link #transaction}'s work.
     *
     * @throws IllegalStateException if the calling thread is in no transaction
     */
    public void onRollback(Runnable undo) {
        synchronized (lock) {
            if (transactionThread != Thread.currentThread()) {
                throw new IllegalStateException("onRollback outside a transaction");
            }
            onRollback.add(undo);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws StorageException {
        // First, so that the node's connection is the last to close: SQLite then checkpoints
        // everything and removes the WAL. Outside the lock, which a catch-up under way waits for.
        closeQuietly(checkpointer);
        synchronized (lock) {
            statements.close();
            try {
                connection.close();
            } catch (SQLException e) {
                throw failure(file, "closing", e);
            }
        }
    }

    private static void checkHeader(Path file) throws StorageException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(file + " is not a regular file: move it away, or restore parley.db from a"
                    + " backup");
        }
        byte[] header = new byte[SQLITE_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage()
                    + "; fix its ownership or permissions", e);
        }
        // An empty file is what SQLite itself leaves before the first write: a new database.
        if (read > 0 && (read < header.length || !Arrays.equals(header, SQLITE_HEADER))) {
            throw damaged(file, "it is not an SQLite database");
        }
    }

    private static void createOwnerOnly(Path file) throws StorageException {
        try {
            if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                // SQLite gives -wal and -shm the mode of the database file, so they are owner-only too.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
            }
        } catch (IOException e) {
            throw new StorageException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code file}, {@code -wal} and {@code -shm} owner-only if they are more open (older files). */
    private static void restrictCompanions(Path file) throws StorageException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path path = file.resolveSibling(file.getFileName() + suffix);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                if (!view.readAttributes().permissions().equals(OWNER_READ_WRITE)) {
                    view.setPermissions(OWNER_READ_WRITE);
                }
            } catch (IOException e) {
                throw new StorageException("cannot make " + path + " owner-only: " + e.getMessage(), e);
            }
        }
    }

    private static StorageException unreadable(Path file, SQLException e) {
        if (e instanceof SQLiteException sqlite && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT
                || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB)) {
            return damaged(file, sqlite.getResultCode().message);
        }
        return new StorageException("cannot open " + file + ": " + e.getMessage(), e);
    }

    private static StorageException failure(Path file, String doing, SQLException e) {
        if (e instanceof SQLiteException sqlite && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT
                || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB)) {
            return damaged(file, sqlite.getResultCode().message);
        }
        return new StorageException("the database " + file + " failed while " + doing + ": " + e.getMessage(), e);
    }

    private static StorageException damaged(Path file, String why) {
        return new StorageException(file + " is damaged (" + why + "). The node leaves it unchanged. To recover,"
                + " stop here, copy parley.db, parley.db-wal and storage.key somewhere safe, then either restore"
                + " parley.db from a backup, or salvage it with: sqlite3 parley.db .recover | sqlite3 recovered.db,"
                + " and put recovered.db in its place. Moving parley.db aside starts the node with an empty database");
    }

    /** Stops the checkpointer, if one runs; its connection only checkpoints, so a failed close loses nothing. */
    private static void closeQuietly(WalCheckpointer checkpointer) {
        if (checkpointer == null) {
            return;
        }
        try {
            checkpointer.close();
        } catch (SQLException e) {
            log.warn("closing the checkpoint connection failed: {}", e.getMessage());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Already failing; the first error is the one to report.
        }
    }
}
