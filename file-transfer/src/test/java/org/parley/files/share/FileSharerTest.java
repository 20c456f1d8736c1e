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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.crypto.FileKey;
import org.parley.files.protocol.PieceSource;

class FileSharerTest {

    private final FileSharer sharer = new FileSharer(Clock.fixed(Instant.parse("2026-12-03T18:00:00Z"), ZoneOffset.UTC));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ChunkCipherSuite.class)
    void theSameFileAndKeyGiveTheSameFileIdAndPiecesOpenWithTheKey(ChunkCipherSuite suite) throws Exception {
        Path file = Files.write(dir.resolve("notes.txt"), "hello, parley".repeat(1000).getBytes(StandardCharsets.UTF_8));
        FileKey key = FileKey.generate();
        SharedFile one = sharer.share(file, key, suite);
        SharedFile two = sharer.share(file, key, suite);
        assertThat(one.manifest().cipher()).isEqualTo(suite);
        assertThat(one.fileId()).isEqualTo(two.fileId());
        assertThat(sharer.share(file, FileKey.generate(), suite).fileId()).as("another key").isNotEqualTo(one.fileId());
        ChunkCipherSuite otherSuite = suite == ChunkCipherSuite.AES_256_GCM ? ChunkCipherSuite.CHACHA20_POLY1305 : ChunkCipherSuite.AES_256_GCM;
        assertThat(sharer.share(file, key, otherSuite).fileId()).as("another cipher").isNotEqualTo(one.fileId());
        assertThat(one.manifest().chunkCount()).isEqualTo(1);

        try (PieceSource.Reader reader = one.openReader(); ChunkCipher cipher = new ChunkCipher(key, suite)) {
            PieceSource.SealedPiece piece = reader.read(0);
            byte[] first = piece.data().clone(); // the reader may reuse its buffer
            // A piece served twice in a row (a re-request) seals under the same nonce again: allowed, and the same bytes.
            assertThat(reader.read(0).data()).isEqualTo(first);
            byte[] plain = new byte[piece.data().length];
            int n = cipher.openChunk(0, piece.data(), piece.data().length, plain);
            assertThat(new String(plain, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello, parley".repeat(1000));
            assertThat(new String(cipher.openName(one.manifest().sealedName()), StandardCharsets.UTF_8)).isEqualTo("notes.txt");
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkCipherSuite.class)
    void aFileReopenedWithItsManifestKeepsItsFileIdUnlessItChanged(ChunkCipherSuite suite) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "version one");
        SharedFile shared = sharer.share(file, FileKey.generate(), suite);
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
        java.nio.file.attribute.FileTime sharedAt = Files.getLastModifiedTime(file);
        Files.writeString(file, "ORIGINAL");
        // Same size: only the modification time tells. File systems stamp with a coarse clock, so a
        // rewrite this soon may keep the time; set it as an edit a moment later would.
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(sharedAt.toMillis() + 1000));
        try (PieceSource.Reader reader = shared.openReader()) {
            assertThatThrownBy(() -> reader.read(0))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage(file + " changed since it was shared (piece 0 differs)");
        }
    }

    @Test
    void aDownloadedFileIsAdoptedWithItsVerifiedTreeUnderTheSameFileId() throws Exception {
        Path file = Files.writeString(dir.resolve("d.txt"), "downloaded".repeat(100));
        SharedFile original = sharer.share(file);
        Path copy = Files.copy(file, dir.resolve("copy.txt"));
        SharedFile adopted = sharer.adopt(copy, original.key(), original.manifest(), tree(original));
        assertThat(adopted.fileId()).isEqualTo(original.fileId());
        try (PieceSource.Reader a = original.openReader(); PieceSource.Reader b = adopted.openReader()) {
            assertThat(b.read(0).data()).isEqualTo(a.read(0).data());
        }
        SharedFile other = sharer.share(Files.writeString(dir.resolve("e.txt"), "something else"));
        assertThatThrownBy(() -> sharer.adopt(copy, original.key(), original.manifest(), tree(other)))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + copy + ": its verified tree is not the manifest's");
        Files.writeString(copy, "shorter");
        assertThatThrownBy(() -> sharer.adopt(copy, original.key(), original.manifest(), tree(original)))
                .isInstanceOf(ShareException.class)
                .hasMessage("cannot share " + copy + ": it has 7 bytes, the manifest says 1000");
    }

    /** The tree of a one-piece file: its leaf is its root. */
    private static org.parley.files.merkle.MerkleTree tree(SharedFile file) {
        return org.parley.files.merkle.MerkleTree.fromLeaves(new byte[][] {file.manifest().root()});
    }

    @Test
    void sharesWithTheCipherFasterOnThisCpu() throws Exception {
        Path file = Files.writeString(dir.resolve("c.txt"), "fast");
        assertThat(sharer.share(file).manifest().cipher()).isEqualTo(ChunkCipherSuite.fastest());
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
