package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.store.FileBitfieldStore;
import org.parley.files.store.FilePieceStore;
import org.parley.files.store.PieceStore;

/**
 * The rule between a download's bitfield saves and the end of its pieces, checked step by step on
 * a real partial file and bitfield file: a save that comes after the finish took the store (the
 * race a 3-seeder download logged as "cannot save the bitfield: null") touches nothing.
 */
class PartialPiecesTest {

    private static final int CHUNK = 16;

    @TempDir
    Path dir;

    private Path partial;
    private Path bitfieldFile;
    private FileBitfieldStore bitfield;
    private PartialPieces pieces;
    private PieceStore store;
    private final AtomicInteger snapshots = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        partial = dir.resolve("file.part");
        bitfieldFile = dir.resolve("file.bits");
        bitfield = new FileBitfieldStore(bitfieldFile);
        pieces = new PartialPieces(bitfield);
        assertThat(pieces.open(chunk -> new FilePieceStore(partial, chunk), CHUNK).isEmpty()).isTrue();
        store = pieces.store();
        store.write(0, new byte[CHUNK], CHUNK);
    }

    private Supplier<BitSet> bits(int... set) {
        return () -> {
            snapshots.incrementAndGet();
            BitSet b = new BitSet();
            for (int i : set) {
                b.set(i);
            }
            return b;
        };
    }

    @Test
    void aSaveBeforeTheEndRecordsTheBitfield() throws IOException {
        assertThat(pieces.save(bits(0))).isTrue();
        assertThat(bitfield.load()).isEqualTo(BitSet.valueOf(new long[] {1}));
    }

    @Test
    void aSaveAfterTheFinishTookTheStoreIsANoOp() throws IOException {
        PieceStore toMove = pieces.saveAndRelease(bits(0, 1));
        assertThat(toMove).isSameAs(store);
        assertThat(pieces.released()).isTrue();
        toMove.moveTo(dir.resolve("file")); // what the finish does next: closes the store's channel
        // The store itself would fail now: that is the warning the guard removes.
        assertThatThrownBy(store::sync).isInstanceOf(ClosedChannelException.class);

        int before = snapshots.get();
        assertThat(pieces.save(bits(0))).isFalse();
        assertThat(snapshots.get()).as("a released store's bitfield is not even read").isEqualTo(before);
        assertThat(bitfield.load()).as("the finish's last save stands").isEqualTo(BitSet.valueOf(new long[] {3}));
        assertThat(pieces.saveAndRelease(bits(0))).as("a second finish gets nothing to move").isNull();
    }

    @Test
    void aSaveAfterCloseIsANoOp() throws IOException {
        pieces.save(bits(0));
        pieces.close();
        assertThat(pieces.save(bits(0, 1, 2))).isFalse();
        assertThat(bitfield.load()).isEqualTo(BitSet.valueOf(new long[] {1}));
        pieces.close(); // twice is harmless
    }

    @Test
    void aSaveAfterDiscardDoesNotBringTheBitfieldBack() throws IOException {
        pieces.save(bits(0));
        pieces.discard();
        assertThat(Files.exists(partial)).isFalse();
        assertThat(Files.exists(bitfieldFile)).isFalse();
        assertThat(pieces.save(bits(0))).isFalse();
        assertThat(Files.exists(bitfieldFile)).as("a late save must not resurrect a cancelled download's state").isFalse();
    }

    @Test
    void aSaveBeforeTheStoreIsOpenIsANoOp() throws IOException {
        PartialPieces unopened = new PartialPieces(new FileBitfieldStore(dir.resolve("other.bits")));
        assertThat(unopened.save(bits(0))).isFalse();
        assertThat(unopened.saveAndRelease(bits(0))).isNull();
        assertThat(Files.exists(dir.resolve("other.bits"))).isFalse();
    }
}
