package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageKeyFileTest {

    @TempDir
    Path dir;

    private final StorageKeyFile keyFiles = new StorageKeyFile(KdfLimits.MIN);

    static PassphraseSource passphrase(String text) {
        return new PassphraseSource() {
            @Override
            public Optional<Passphrase> given() {
                return Optional.of(required());
            }

            @Override
            public Passphrase required() {
                return new Passphrase(text.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    static PassphraseSource noPassphrase() {
        return new PassphraseSource() {
            @Override
            public Optional<Passphrase> given() {
                return Optional.empty();
            }

            @Override
            public Passphrase required() throws StorageException {
                throw new StorageException("no passphrase in this test");
            }
        };
    }

    @Test
    void plainKeyIsWrittenOwnerOnlyAndReadBack() throws Exception {
        Path file = dir.resolve("storage.key");
        byte[] original;
        try (StorageKey key = StorageKey.generate()) {
            original = key.bytes().clone();
            keyFiles.create(file, key, null);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(StorageKeyFile.PLAIN_FILE_BYTES);
        try (StorageKey loaded = keyFiles.load(file, noPassphrase())) {
            assertThat(loaded.bytes()).isEqualTo(original);
        }
    }

    @Test
    void wrappedKeyOpensWithItsPassphraseAndHoldsNoPlainKey() throws Exception {
        Path file = dir.resolve("storage.key");
        byte[] original;
        try (StorageKey key = StorageKey.generate(); Passphrase passphrase = passphrase("correct horse").required()) {
            original = key.bytes().clone();
            keyFiles.create(file, key, passphrase);
        }
        byte[] content = Files.readAllBytes(file);
        assertThat(content).hasSize(StorageKeyFile.WRAPPED_FILE_BYTES);
        assertThat(indexOf(content, original)).isEqualTo(-1);
        try (StorageKey loaded = keyFiles.load(file, passphrase("correct horse"))) {
            assertThat(loaded.bytes()).isEqualTo(original);
        }
    }

    @Test
    void wrongPassphraseStopsWithAMessageAndLeavesTheFile() throws Exception {
        Path file = wrappedKey("right one");
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> keyFiles.load(file, passphrase("wrong one")))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("the passphrase does not open storage.key: ");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void wrappedKeyWithoutAPassphraseStopsWithAMessage() throws Exception {
        Path file = wrappedKey("secret");

        assertThatThrownBy(() -> keyFiles.load(file, noPassphrase())).isInstanceOf(StorageException.class);
    }

    @Test
    void passphraseGivenForAPlainKeyIsRefused() throws Exception {
        Path file = dir.resolve("storage.key");
        try (StorageKey key = StorageKey.generate()) {
            keyFiles.create(file, key, null);
        }

        assertThatThrownBy(() -> keyFiles.load(file, passphrase("unused")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not protected by a passphrase");
    }

    @Test
    void changedArgon2LimitsDoNotOpen() throws Exception {
        Path file = wrappedKey("secret");
        byte[] content = Files.readAllBytes(file);
        // opslimit lives at offset 26; 2 passes is acceptable, so only the tag can catch the change.
        ByteBuffer.wrap(content).putLong(26, 2);
        Files.write(file, content);

        assertThatThrownBy(() -> keyFiles.load(file, passphrase("secret")))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("the passphrase does not open");
    }

    @Test
    void absurdArgon2MemoryLimitIsRefusedBeforeDerivation() throws Exception {
        Path file = wrappedKey("secret");
        byte[] content = Files.readAllBytes(file);
        ByteBuffer.wrap(content).putLong(34, 1L << 40);
        Files.write(file, content);

        assertThatThrownBy(() -> keyFiles.load(file, passphrase("secret")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Argon2id limits")
                .hasMessageContaining("is not a valid storage key");
    }

    @Test
    void garbageFileIsRefusedAndNeverMovedAside() throws Exception {
        Path file = dir.resolve("storage.key");
        Files.write(file, "not a key at all".getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> keyFiles.load(file, noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not a valid storage key")
                .hasMessageContaining("restore it from a backup");
        assertThat(Files.readString(file)).isEqualTo("not a key at all");
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void keyFromANewerFormatIsRefusedUnchanged() throws Exception {
        Path file = dir.resolve("storage.key");
        try (StorageKey key = StorageKey.generate()) {
            keyFiles.create(file, key, null);
        }
        byte[] content = Files.readAllBytes(file);
        content[StorageKeyFile.MAGIC.length] = 2;
        Files.write(file, content);

        assertThatThrownBy(() -> keyFiles.load(file, noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("format version 2")
                .hasMessageContaining("newer Parley");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void keyReadableByOthersIsRefused() throws Exception {
        Path file = dir.resolve("storage.key");
        try (StorageKey key = StorageKey.generate()) {
            keyFiles.create(file, key, null);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> keyFiles.load(file, noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void oversizedFileIsRefusedBeforeReading() throws Exception {
        Path file = dir.resolve("storage.key");
        Files.write(file, new byte[StorageKeyFile.MAX_FILE_BYTES + 1]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> keyFiles.load(file, noPassphrase()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(StorageKeyFile.MAX_FILE_BYTES + 1 + " bytes");
    }

    @Test
    void existingKeyIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("storage.key");
        try (StorageKey key = StorageKey.generate()) {
            keyFiles.create(file, key, null);
        }
        byte[] before = Files.readAllBytes(file);

        try (StorageKey other = StorageKey.generate()) {
            assertThatThrownBy(() -> keyFiles.create(file, other, null)).isInstanceOf(StorageException.class);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    private Path wrappedKey(String passphrase) throws Exception {
        Path file = dir.resolve("storage.key");
        try (StorageKey key = StorageKey.generate(); Passphrase p = passphrase(passphrase).required()) {
            keyFiles.create(file, key, p);
        }
        return file;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
