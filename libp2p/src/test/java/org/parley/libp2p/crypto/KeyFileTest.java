package org.parley.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

    @TempDir
    Path dir;

    @Test
    void createsAKeyFileReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("identity.key");
        Ed25519PrivateKey key = KeyFile.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(file)).isEqualTo(key.marshal()).hasSize(68);
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @Test
    void reloadsTheSameKey() throws Exception {
        Path file = dir.resolve("identity.key");
        Ed25519PrivateKey created = KeyFile.loadOrCreate(file);
        Ed25519PrivateKey loaded = KeyFile.loadOrCreate(file);
        assertThat(loaded).isEqualTo(created);
        assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
    }

    @Test
    void createsMissingParentDirectoriesForTheOwnerOnly() throws Exception {
        Path file = dir.resolve("data/keys/identity.key");
        KeyFile.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void refusesAGroupReadableFile() throws Exception {
        Path file = dir.resolve("identity.key");
        KeyFile.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessage("key file " + file + " has permissions rw-r-----;"
                        + " it must be readable and writable by its owner only (chmod 600 " + file + ")");
    }

    @Test
    void refusesAWorldReadableFile() throws Exception {
        Path file = dir.resolve("identity.key");
        KeyFile.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has permissions rw----r--");
    }

    @Test
    void refusesACorruptFile() throws Exception {
        Path file = dir.resolve("identity.key");
        Files.write(file, new byte[] {0x08, 0x01, 0x12, 0x40, 1, 2, 3});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("key file " + file + " is corrupt: malformed PrivateKey protobuf: ");
    }

    /**
     * The key is the node's identity: unlike a cache (the routing table), a key file that cannot be
     * read is never set aside and replaced by a new identity, nor rewritten; the start stops instead.
     */
    @Test
    void neverReplacesOrRewritesAKeyFileItCannotRead() throws Exception {
        Path file = dir.resolve("identity.key");
        byte[] unreadable = {0x08, 0x02, 0x12, 0x03, 9, 9, 9};
        Files.write(file, unreadable);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> KeyFile.loadOrCreate(file)).isInstanceOf(IOException.class);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(unreadable);
        try (var siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(file);
        }
    }

    @Test
    void refusesAKeyOfTheWrongLength() throws Exception {
        Path file = dir.resolve("identity.key");
        Files.write(file, KeysTest.protobuf(1, new byte[32]));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessage("key file " + file
                        + " is corrupt: invalid Ed25519 private key: Ed25519 private key must be 64 bytes, got 32");
    }

    @Test
    void refusesAnOversizedFileBeforeReadingIt() throws Exception {
        Path file = dir.resolve("identity.key");
        Files.write(file, new byte[KeyFile.MAX_FILE_BYTES + 1]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessage("key file " + file + " is corrupt: 1025 bytes exceeds the 1024-byte limit of a key file");
    }

    @Test
    void refusesADirectory() throws Exception {
        Path file = Files.createDirectory(dir.resolve("identity.key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessage("key file " + file + " is not a regular file");
    }
}
