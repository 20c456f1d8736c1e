package org.parley.files.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.files.protocol.PieceSource;

class FileSharerTest {

    private final FileSharer sharer = new FileSharer(Clock.fixed(Instant.parse("2026-12-03T18:00:00Z"), ZoneOffset.UTC));

    @TempDir
    Path dir;

    @Test
    void theSameFileAndKeyGiveTheSameFileIdAndPiecesOpenWithTheKey() throws Exception {
        Path file = Files.write(dir.resolve("notes.txt"), "hello, parley".repeat(1000).getBytes(StandardCharsets.UTF_8));
        FileKey key = FileKey.generate();
        SharedFile one = sharer.share(file, key);
        SharedFile two = sharer.share(file, key);
        assertThat(one.fileId()).isEqualTo(two.fileId());
        assertThat(sharer.share(file).fileId()).as("another key").isNotEqualTo(one.fileId());
        assertThat(one.manifest().chunkCount()).isEqualTo(1);

        try (PieceSource.Reader reader = one.openReader(); ChunkCipher cipher = new ChunkCipher(key)) {
            PieceSource.SealedPiece piece = reader.read(0);
            byte[] plain = new byte[piece.data().length];
            int n = cipher.openChunk(0, piece.data(), piece.data().length, plain);
            assertThat(new String(plain, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello, parley".repeat(1000));
            assertThat(new String(cipher.openName(one.manifest().sealedName()), StandardCharsets.UTF_8)).isEqualTo("notes.txt");
        }
    }

    @Test
    void aFileReopenedWithItsManifestKeepsItsFileIdUnlessItChanged() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "version one");
        SharedFile shared = sharer.share(file);
        assertThat(sharer.reopen(file, shared.key(), shared.manifest()).fileId()).isEqualTo(shared.fileId());

        Files.writeString(file, "version two");
        assertThatThrownBy(() -> sharer.reopen(file, shared.key(), shared.manifest()))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + file + " again: its content changed since it was shared; share it anew");
    }

    @Test
    void aChangedFileIsRefusedPieceByPieceRatherThanSentWrong() throws Exception {
        Path file = Files.writeString(dir.resolve("b.txt"), "original");
        SharedFile shared = sharer.share(file);
        Files.writeString(file, "ORIGINAL");
        try (PieceSource.Reader reader = shared.openReader()) {
            assertThatThrownBy(() -> reader.read(0))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage(file + " changed since it was shared (piece 0 differs)");
        }
    }

    @Test
    void saysWhyAFileCannotBeShared() throws Exception {
        assertThatThrownBy(() -> sharer.share(dir.resolve("missing.bin")))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + dir.resolve("missing.bin") + ": there is no such file");
        Path sub = Files.createDirectory(dir.resolve("folder"));
        assertThatThrownBy(() -> sharer.share(sub))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + sub + ": it is not a regular file");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> sharer.share(empty))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + empty + ": it is empty");
    }
}
