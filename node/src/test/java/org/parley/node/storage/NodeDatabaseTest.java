package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database file on a real SQLite file: creation, migration, and the files it refuses unchanged. */
class NodeDatabaseTest {

    /** The pause between two commits in the steady-commits test: a busy node's, not a tight loop's. */
    private static final long COMMIT_GAP_NANOS = 300_000;

    @TempDir
    Path dir;

    @Test
    void newDatabaseIsWalOwnerOnlyAndAtTheLatestSchema() throws Exception {
        Path file = dir.resolve("parley.db");
        try (NodeDatabase db = NodeDatabase.open(file)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv (namespace, key, value) VALUES ('t', 'k', x'00')");
                }
            });
            assertThat(db.schemaVersion()).isEqualTo(SchemaMigrations.LATEST);
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(db, "synchronous")).isEqualTo("1");
            assertThat(pragma(db, "busy_timeout")).isEqualTo(String.valueOf(NodeDatabase.BUSY_TIMEOUT_MILLIS));
            for (String name : List.of("parley.db", "parley.db-wal", "parley.db-shm")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                        .as(name).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void committedPagesReachTheDatabaseFileBesideTheNodesConnectionWhichCheckpointsOnlyAsABackstop()
            throws Exception {
        Path file = dir.resolve("parley.db");
        try (NodeDatabase db = NodeDatabase.open(file)) {
            assertThat(pragma(db, "wal_autocheckpoint")).isEqualTo(String.valueOf(WalCheckpointer.BACKSTOP_PAGES));
            long before = Files.size(file);
            // 1 MiB: 256 pages, far below any checkpoint threshold of the node's connection, so only
            // the checkpointer can copy them into the file while the database stays open.
            db.transaction(c -> {
                try (var insert = c.prepareStatement("INSERT INTO kv (namespace, key, value) VALUES ('t', 'big', ?)")) {
                    insert.setBytes(1, new byte[1 << 20]);
                    return insert.executeUpdate();
                }
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (Files.size(file) < before + (1 << 20) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.size(file)).as("the database file after the checkpoint").isGreaterThanOrEqualTo(
                    before + (1 << 20));
            int length = db.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT length(value) FROM kv WHERE key = 'big'")) {
                    return r.next() ? r.getInt(1) : -1;
                }
            });
            assertThat(length).isEqualTo(1 << 20);
        }
        assertThat(dir.resolve("parley.db-wal")).as("the last connection to close removes the WAL").doesNotExist();
    }

    @Test
    void underSteadyCommitsTheWalStartsOverLongBeforeTheBackstop() throws Exception {
        Path file = dir.resolve("parley.db");
        int pageSize = 4096;
        long backstopBytes = (long) WalCheckpointer.BACKSTOP_PAGES * pageSize;
        try (NodeDatabase db = NodeDatabase.open(file)) {
            byte[] value = new byte[4 * pageSize];
            // Commits one after the other with a moment between them, as a flood of chat messages
            // makes them, until the WAL has been written three times over the backstop's length.
            long written = 0;
            for (int i = 0; written < 3 * backstopBytes; i++) {
                int key = i;
                db.transaction(c -> {
                    try (var insert = c.prepareStatement("INSERT INTO kv (namespace, key, value) VALUES ('t', ?, ?)")) {
                        insert.setString(1, "k" + key);
                        insert.setBytes(2, value);
                        return insert.executeUpdate();
                    }
                });
                written += value.length;
                java.util.concurrent.locks.LockSupport.parkNanos(COMMIT_GAP_NANOS);
            }
            // The WAL file keeps the length it reached. Without the checkpointer's catch-up, commits
            // like these never leave it fully copied, and it grows to the backstop's length (41 MB
            // here; about 20 MB with the catch-up).
            assertThat(Files.size(dir.resolve("parley.db-wal"))).as("the WAL's length")
                    .isLessThan(backstopBytes * 7 / 8);
        }
    }

    @Test
    void aTransactionInsideAnotherJoinsItAndRollsBackWithIt() throws Exception {
        try (NodeDatabase db = NodeDatabase.open(dir.resolve("parley.db"))) {
            assertThatThrownBy(() -> db.transaction(outer -> {
                insertJoined(db, "inner");
                throw new IllegalStateException("the outer work fails after the inner one returned");
            })).isInstanceOf(IllegalStateException.class);
            int afterFailure = db.read(c -> count(c.createStatement(), "SELECT count(*) FROM kv"));
            assertThat(afterFailure).as("nothing committed").isZero();

            db.transaction(outer -> {
                insertJoined(db, "a");
                try (Statement s = outer.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv (namespace, key, value) VALUES ('t', 'b', x'02')");
                }
            });
            int afterSuccess = db.read(c -> count(c.createStatement(), "SELECT count(*) FROM kv"));
            assertThat(afterSuccess).isEqualTo(2);
        }
    }

    /** A transaction of its own inside the caller's, as a store's write inside a grouped commit. */
    private static void insertJoined(NodeDatabase db, String key) throws java.sql.SQLException {
        try {
            db.transaction(inner -> {
                try (Statement s = inner.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv (namespace, key, value) VALUES ('t', '" + key + "', x'01')");
                }
            });
        } catch (StorageException e) {
            throw new java.sql.SQLException(e);
        }
    }

    @Test
    void reopeningKeepsDataAndAppliesNoStepTwice() throws Exception {
        Path file = dir.resolve("parley.db");
        try (NodeDatabase db = NodeDatabase.open(file)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv (namespace, key, value) VALUES ('t', 'k', x'01')");
                }
            });
        }
        try (NodeDatabase db = NodeDatabase.open(file)) {
            int rows = db.read(c -> count(c.createStatement(), "SELECT count(*) FROM kv"));
            assertThat(rows).isEqualTo(1);
            int steps = db.read(c -> count(c.createStatement(), "SELECT count(*) FROM schema_version"));
            assertThat(steps).isEqualTo(SchemaMigrations.ALL.size());
        }
    }

    @Test
    void databaseFromANewerParleyIsRefusedAndLeftUnchanged() throws Exception {
        Path file = dir.resolve("parley.db");
        try (NodeDatabase db = NodeDatabase.open(file)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO schema_version VALUES (" + (SchemaMigrations.LATEST + 1)
                            + ", 'from the future', '2030-01-01T00:00:00Z')");
                }
            });
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> NodeDatabase.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("has schema version " + (SchemaMigrations.LATEST + 1))
                .hasMessageContaining("newer Parley");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void fileThatIsNotSqliteIsRefusedAndNotMoved() throws Exception {
        Path file = dir.resolve("parley.db");
        Files.writeString(file, "these are not the pages you are looking for");

        assertThatThrownBy(() -> NodeDatabase.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is damaged (it is not an SQLite database)")
                .hasMessageContaining(".recover");
        assertThat(Files.readString(file)).isEqualTo("these are not the pages you are looking for");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void databaseWithDamagedPagesIsRefusedAndLeftUnchanged() throws Exception {
        Path file = dir.resolve("parley.db");
        try (NodeDatabase db = NodeDatabase.open(file)) {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            });
        }
        byte[] content = Files.readAllBytes(file);
        // Keep the 100-byte file header, overwrite the rest of page 1 (the schema table).
        byte[] garbage = "garbage!".repeat(100).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(garbage, 0, content, 100, garbage.length);
        Files.write(file, content);

        assertThatThrownBy(() -> NodeDatabase.open(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is damaged")
                .hasMessageContaining("leaves it unchanged");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void emptyFileIsANewDatabase() throws Exception {
        Path file = dir.resolve("parley.db");
        Files.createFile(file);
        try (NodeDatabase db = NodeDatabase.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(SchemaMigrations.LATEST);
        }
    }

    private static String pragma(NodeDatabase db, String name) throws StorageException {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
                r.next();
                return r.getString(1);
            }
        });
    }

    private static int count(Statement statement, String sql) throws java.sql.SQLException {
        try (statement; ResultSet r = statement.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
