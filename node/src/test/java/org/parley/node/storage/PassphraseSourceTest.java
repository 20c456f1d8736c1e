package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseSourceTest {

    @TempDir
    Path dir;

    @Test
    void fileLosesOneTrailingLineBreakOnly() throws Exception {
        Path file = dir.resolve("pass");
        Files.writeString(file, " two words \r\n");
        try (Passphrase p = PassphraseSource.fromFile(file).required()) {
            assertThat(new String(p.bytes(), StandardCharsets.UTF_8)).isEqualTo(" two words ");
        }
        assertThat(PassphraseSource.fromFile(file).given()).isPresent();
    }

    @Test
    void emptyFileIsRefused() throws Exception {
        Path file = dir.resolve("pass");
        Files.writeString(file, "\n");

        assertThatThrownBy(() -> PassphraseSource.fromFile(file).required())
                .isInstanceOf(StorageException.class)
                .hasMessage("passphrase file " + file + " is empty: write the passphrase into it");
    }

    @Test
    void missingFileNamesTheOption() {
        Path file = dir.resolve("nope");

        assertThatThrownBy(() -> PassphraseSource.fromFile(file).required())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("--passphrase-file");
    }

    @Test
    void oversizedFileIsRefusedBeforeReading() throws Exception {
        Path file = dir.resolve("pass");
        Files.write(file, new byte[PassphraseSource.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> PassphraseSource.fromFile(file).required())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("at most " + PassphraseSource.MAX_FILE_BYTES + " bytes");
    }

    @Test
    void withoutFileNothingIsGivenUpFront() throws Exception {
        assertThat(PassphraseSource.of(null).given()).isEmpty();
    }
}
