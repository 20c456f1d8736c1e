package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.node.storage.StorageKeyFileTest.indexOf;
import static org.parley.node.storage.StorageKeyFileTest.noPassphrase;
import static org.parley.node.storage.StorageKeyFileTest.passphrase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage key and the database together, on real files in a temp dir. */
class NodeStorageTest {

    private static final String SECRET = "the plaintext that must never reach the disk";

    @TempDir
    Path dir;

    private final StorageKeyFile keyFiles = new StorageKeyFile(KdfLimits.MIN);

    private NodeStorage open(PassphraseSource passphrases) throws StorageException {
        return NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"), passphrases, keyFiles);
    }

    @Test
    void sealedValuesAreNotReadableInTheRawDatabaseFiles() throws Exception {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        try (NodeStorage storage = open(noPassphrase())) {
            KeyValueStore store = storage.keyValueStore("settings");
            for (int i = 0; i < 20; i++) {
                store.put("draft-" + i, secret);
            }
            assertThat(store.get("draft-7")).hasValue(secret);
            // While the node runs the rows live in the -wal file; read both as they are on disk.
            byte[] db = Files.readAllBytes(dir.resolve("parley.db"));
            byte[] wal = Files.readAllBytes(dir.resolve("parley.db-wal"));
            assertThat(wal.length).isGreaterThan(0);
            assertThat(indexOf(db, secret)).isEqualTo(-1);
            assertThat(indexOf(wal, secret)).isEqualTo(-1);
        }
        // Closed: the WAL is checkpointed into the main file; still nothing readable.
        assertThat(indexOf(Files.readAllBytes(dir.resolve("parley.db")), secret)).isEqualTo(-1);
        assertThat(indexOf(Files.readAllBytes(dir.resolve("storage.key")), secret)).isEqualTo(-1);
    }

    @Test
    void valuesSurviveARestart() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            storage.keyValueStore("settings").put("theme", "dark".getBytes(StandardCharsets.UTF_8));
        }
        try (NodeStorage storage = open(noPassphrase())) {
            KeyValueStore store = storage.keyValueStore("settings");
            assertThat(store.get("theme")).hasValue("dark".getBytes(StandardCharsets.UTF_8));
            assertThat(store.delete("theme")).isTrue();
            assertThat(store.get("theme")).isEmpty();
            assertThat(store.delete("theme")).isFalse();
        }
    }

    @Test
    void namespacesDoNotSeeEachOther() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            storage.keyValueStore("chat").put("k", new byte[] {1});
            assertThat(storage.keyValueStore("files").get("k")).isEmpty();
        }
    }

    @Test
    void valueCopiedToAnotherRowIsRefusedWhenRead() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            KeyValueStore store = storage.keyValueStore("settings");
            store.put("a", SECRET.getBytes(StandardCharsets.UTF_8));
            storage.database().transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv (namespace, key, value)"
                            + " SELECT namespace, 'b', value FROM kv WHERE key = 'a'");
                }
            });

            assertThatThrownBy(() -> store.get("b"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("settings/b cannot be read");
        }
    }

    @Test
    void newKeyIsWrappedWhenAPassphraseIsGivenAndOpensOnlyWithIt() throws Exception {
        try (NodeStorage storage = open(passphrase("hunter2 but longer"))) {
            storage.keyValueStore("settings").put("k", new byte[] {7});
        }
        assertThat(Files.size(dir.resolve("storage.key"))).isEqualTo(StorageKeyFile.WRAPPED_FILE_BYTES);
        byte[] keyBefore = Files.readAllBytes(dir.resolve("storage.key"));
        byte[] dbBefore = Files.readAllBytes(dir.resolve("parley.db"));

        assertThatThrownBy(() -> open(passphrase("hunter3 but longer")))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("the passphrase does not open");
        assertThat(Files.readAllBytes(dir.resolve("storage.key"))).isEqualTo(keyBefore);
        assertThat(Files.readAllBytes(dir.resolve("parley.db"))).isEqualTo(dbBefore);

        try (NodeStorage storage = open(passphrase("hunter2 but longer"))) {
            assertThat(storage.keyValueStore("settings").get("k")).hasValue(new byte[] {7});
        }
    }

    @Test
    void missingKeyBesideAnExistingDatabaseIsRefusedAndNoKeyIsCreated() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            storage.keyValueStore("settings").put("k", new byte[] {1});
        }
        Files.delete(dir.resolve("storage.key"));

        assertThatThrownBy(() -> open(noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("storage.key is missing")
                .hasMessageContaining("restore storage.key from a backup");
        assertThat(dir.resolve("storage.key")).doesNotExist();
    }

    @Test
    void keyOfAnotherDatabaseIsRefusedAndBothFilesStay() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            storage.keyValueStore("settings").put("k", new byte[] {1});
        }
        Path keyFile = dir.resolve("storage.key");
        Files.delete(keyFile);
        try (StorageKey other = StorageKey.generate()) {
            keyFiles.create(keyFile, other, null);
        }
        byte[] keyBefore = Files.readAllBytes(keyFile);
        byte[] dbBefore = Files.readAllBytes(dir.resolve("parley.db"));

        assertThatThrownBy(() -> open(noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not the key of");
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(keyBefore);
        assertThat(Files.readAllBytes(dir.resolve("parley.db"))).isEqualTo(dbBefore);
    }

    @Test
    void corruptKeyStopsTheStartBeforeTheDatabaseIsCreated() throws Exception {
        Path keyFile = dir.resolve("storage.key");
        Files.writeString(keyFile, "PARLEYSK?");
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> open(noPassphrase())).isInstanceOf(StorageException.class);
        assertThat(dir.resolve("parley.db")).doesNotExist();
        assertThat(Files.readString(keyFile)).isEqualTo("PARLEYSK?");
    }

    @Test
    void oversizedValueIsRefusedBeforeSealing() throws Exception {
        try (NodeStorage storage = open(noPassphrase())) {
            assertThatThrownBy(() -> storage.keyValueStore("s").put("k", new byte[KeyValueStore.MAX_VALUE_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the " + KeyValueStore.MAX_VALUE_BYTES + "-byte limit");
        }
    }
}
