package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.PieceSource;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FilePieceStore;

/** A partial seeder's pieces across the move of its file into place, step by step. */
@Timeout(60)
class ServedPiecesTest {

    @TempDir
    Path dir;

    @Test
    void aReadDuringTheMoveWaitsAndIsServedFromTheFileInPlace() throws Exception {
        Path original = new Swarms(dir).randomFile("data.bin", 3 * 256 * 1024 - 100, 7);
        SharedFile shared = Swarms.share(original);
        Manifest manifest = shared.manifest();
        byte[] plain = Files.readAllBytes(original);
        FilePieceStore store = new FilePieceStore(dir.resolve("pieces"), manifest.chunkSize());
        Path target = dir.resolve("out.bin");
        ServedPieces served = new ServedPieces(shared.fileId(), shared.manifestBytes(), manifest, shared.key(), store, target);
        PieceSource.SealedPiece expected;
        try (PieceSource.Reader seeder = shared.openReader()) {
            for (int i = 0; i < manifest.chunkCount(); i++) {
                store.write(i, java.util.Arrays.copyOfRange(plain, i * manifest.chunkSize(), i * manifest.chunkSize() + manifest.plainLength(i)),
                        manifest.plainLength(i));
                served.verified(i, seeder.read(i).proof());
            }
            expected = seeder.read(1);
        }
        FileAssembler assembler = new FileAssembler();
        MerkleTree tree = assembler.verify(manifest, shared.key(), store, new byte[manifest.chunkCount()][], target);
        PieceSource.Reader reader = served.openReader();
        CompletableFuture<PieceSource.SealedPiece> duringMove = new CompletableFuture<>();

        served.finishWith(tree, () -> {
            Thread.ofVirtual().start(() -> {
                try {
                    duringMove.complete(reader.read(1));
                } catch (Exception e) {
                    duringMove.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!served.readersWaiting() && !duringMove.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(duringMove).as("no piece is read while the store moves").isNotDone();
            assembler.place(store, target); // closes the store: a read from it now would fail
        });

        PieceSource.SealedPiece piece = duringMove.get(30, TimeUnit.SECONDS);
        assertThat(piece.data()).isEqualTo(expected.data());
        assertThat(Files.mismatch(target, original)).isEqualTo(-1);
        assertThat(served.pieces().cardinality()).isEqualTo(manifest.chunkCount());
        reader.close();
    }
}
