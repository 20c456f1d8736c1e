package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The store contract on the node's database, and what only a database adds: it survives a reopen. */
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
}
