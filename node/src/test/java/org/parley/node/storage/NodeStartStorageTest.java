package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.dht.DhtConfig.ModePolicy;

/**
 * A whole node's start against its storage files: a storage problem stops the start before the
 * node writes anything else, and leaves the files as they were.
 */
class NodeStartStorageTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @TempDir
    Path dir;

    @TempDir
    Path secrets;

    private NodeSettings settings(Path passphraseFile) {
        return new NodeSettings(new DataDir(dir), List.of(LOOPBACK_RANDOM_PORT), List.of(), 0, ModePolicy.CLIENT,
                passphraseFile);
    }

    @Test
    void firstStartCreatesThePlainKeyAndTheDatabase() throws Exception {
        try (ParleyNode node = ParleyNode.start(settings(null))) {
            node.storage().keyValueStore("settings").put("k", new byte[] {1});
        }
        assertThat(Files.size(dir.resolve("storage.key"))).isEqualTo(StorageKeyFile.PLAIN_FILE_BYTES);
        assertThat(dir.resolve("parley.db")).exists();
        try (ParleyNode node = ParleyNode.start(settings(null))) {
            assertThat(node.storage().keyValueStore("settings").get("k")).hasValue(new byte[] {1});
        }
    }

    @Test
    void wrongPassphraseStopsTheStartAndWritesNothing() throws Exception {
        Files.createDirectories(dir);
        try (StorageKey key = StorageKey.generate();
                Passphrase passphrase = new Passphrase("the right one".getBytes(StandardCharsets.UTF_8))) {
            new StorageKeyFile(KdfLimits.MIN).create(dir.resolve("storage.key"), key, passphrase);
        }
        byte[] keyBefore = Files.readAllBytes(dir.resolve("storage.key"));
        Path wrong = secrets.resolve("passphrase");
        Files.writeString(wrong, "the wrong one\n");

        assertThatThrownBy(() -> ParleyNode.start(settings(wrong)))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("the passphrase does not open storage.key: ");
        assertThat(Files.readAllBytes(dir.resolve("storage.key"))).isEqualTo(keyBefore);
        assertThat(dir.resolve("parley.db")).doesNotExist();
        assertThat(dir.resolve("node.key")).doesNotExist();
        assertThat(dir.resolve("api.json")).doesNotExist();

        Path right = secrets.resolve("right");
        Files.writeString(right, "the right one\n");
        try (ParleyNode node = ParleyNode.start(settings(right))) {
            assertThat(node.storage().database().schemaVersion()).isEqualTo(SchemaMigrations.LATEST);
        }
    }

    @Test
    void damagedDatabaseStopsTheStartAndStaysWhereItIs() throws Exception {
        try (ParleyNode node = ParleyNode.start(settings(null))) {
            node.storage().keyValueStore("settings").put("k", new byte[] {1});
        }
        Path db = dir.resolve("parley.db");
        Files.writeString(db, "scribbled over by something");

        assertThatThrownBy(() -> ParleyNode.start(settings(null)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is damaged");
        assertThat(Files.readString(db)).isEqualTo("scribbled over by something");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("parley.db.") || name.contains("unreadable"));
        }
    }
}
