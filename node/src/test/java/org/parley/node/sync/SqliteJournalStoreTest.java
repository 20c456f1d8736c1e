package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.store.JournalStore;
import org.parley.journal.store.JournalStoreContract;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.node.storage.NodeDatabase;

/**
 * The store contract on the node's database, and what only a database adds: it survives a reopen,
 * and an append and the work run alongside it commit together or not at all.
 */
class SqliteJournalStoreTest extends JournalStoreContract {

    @TempDir
    Path dir;

    private final List<NodeDatabase> opened = new ArrayList<>();
    private int stores;

    @Override
    protected JournalStore newStore() throws Exception {
        NodeDatabase database = NodeDatabase.open(dir.resolve("parley-" + stores++ + ".db"));
        opened.add(database);
        return new SqliteJournalStore(database);
    }

    @AfterEach
    void close() throws Exception {
        for (NodeDatabase database : opened) {
            database.close();
        }
    }

    @Test
    void entriesSurviveAReopen() throws Exception {
        Path file = dir.resolve("reopened.db");
        EntrySigner signer = new EntrySigner(Ed25519PrivateKey.generate());
        List<JournalEntry> entries = chain(signer, 5, i -> 5000 + i);
        try (NodeDatabase database = NodeDatabase.open(file)) {
            new SqliteJournalStore(database).append(entries);
        }
        try (NodeDatabase database = NodeDatabase.open(file)) {
            JournalStore store = new SqliteJournalStore(database);
            assertThat(store.count()).isEqualTo(5);
            assertThat(store.after(signer.device(), 0, 10)).containsExactlyElementsOf(entries);
        }
    }

    @Test
    void whatRunsAlongsideAnAppendCommitsWithIt() throws Exception {
        EntrySigner signer = new EntrySigner(Ed25519PrivateKey.generate());
        List<JournalEntry> entries = chain(signer, 2, i -> 7000 + i);
        try (NodeDatabase database = NodeDatabase.open(dir.resolve("alongside.db"))) {
            database.transaction(c -> c.createStatement().executeUpdate("CREATE TABLE queued (id INTEGER)"));
            database.transaction(c -> c.createStatement().executeUpdate("INSERT INTO queued VALUES (1)"));
            SqliteJournalStore store = new SqliteJournalStore(database);

            store.append(entries.subList(0, 1), () -> deleteQueued(database));

            assertThat(store.count()).isEqualTo(1);
            assertThat(queued(database)).isZero();
        }
    }

    @Test
    void anAppendWhoseAlongsideWorkFailsStoresNothing() throws Exception {
        EntrySigner signer = new EntrySigner(Ed25519PrivateKey.generate());
        List<JournalEntry> entries = chain(signer, 1, i -> 8000 + i);
        try (NodeDatabase database = NodeDatabase.open(dir.resolve("rolled-back.db"))) {
            database.transaction(c -> c.createStatement().executeUpdate("CREATE TABLE queued (id INTEGER)"));
            database.transaction(c -> c.createStatement().executeUpdate("INSERT INTO queued VALUES (1)"));
            SqliteJournalStore store = new SqliteJournalStore(database);

            assertThatThrownBy(() -> store.append(entries, () -> {
                deleteQueued(database);
                throw new IllegalStateException("the process dies here");
            })).hasMessageContaining("the process dies here");

            // Neither the entry nor the deletion: the queued row makes the entry again, once.
            assertThat(store.count()).isZero();
            assertThat(queued(database)).isEqualTo(1);
            store.append(entries, () -> deleteQueued(database));
            assertThat(store.count()).isEqualTo(1);
            assertThat(queued(database)).isZero();
        }
    }

    private static void deleteQueued(NodeDatabase database) {
        try {
            database.transaction(c -> c.createStatement().executeUpdate("DELETE FROM queued"));
        } catch (org.parley.node.storage.StorageException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long queued(NodeDatabase database) throws Exception {
        return database.read(c -> {
            try (var rows = c.createStatement().executeQuery("SELECT count(*) FROM queued")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
