package org.parley.files.download;

import java.io.IOException;
import java.util.BitSet;
import java.util.function.Supplier;
import org.parley.files.store.BitfieldStore;
import org.parley.files.store.PieceStore;

/**
 * A download's partial piece store and its saved bitfield, and the rule between them and the end of
 * the download: once the store is released (handed to the finish that moves it into place, closed,
 * or deleted), every later save is a no-op. Saves come from any thread (the background saves of
 * {@link BitfieldSaves}, a pause, a failure), so without this one
 * could sync a store the finish had just moved away ("cannot save the bitfield: null", a closed
 * channel). Every method holds this object's monitor, so a save and a release never interleave.
 */
final class PartialPieces {

    private final BitfieldStore bitfieldStore;
    private PieceStore store;
    /** Set once the store is moved, closed or deleted: nothing may be saved over it any more. */
    private boolean released;

    PartialPieces(BitfieldStore bitfieldStore) {
        this.bitfieldStore = bitfieldStore;
    }

    /** Opens the store once the chunk size is known; returns the bitfield saved by an earlier run. */
    synchronized BitSet open(PieceStore.Opener opener, int chunkSize) throws IOException {
        store = opener.open(chunkSize);
        return bitfieldStore.load();
    }

    /** The open store, or null before {@link #open}. */
    synchronized PieceStore store() {
        return store;
    }

    synchronized boolean released() {
        return released;
    }

    /**
     * Makes the stored pieces durable, then records {@code verified} (read here, under the monitor,
     * so an older snapshot never overwrites a newer one).
     *
     * @return false, and touches nothing, if there is no store yet or it was released
     */
    synchronized boolean save(Supplier<BitSet> verified) throws IOException {
        if (store == null || released) {
            return false;
        }
        BitSet bits = verified.get();
        store.sync();
        bitfieldStore.save(bits);
        return true;
    }

    /**
     * The last save before the file goes into place, and the release in the same step: no save
     * after this one touches the store, which the caller then moves.
     *
     * @return the store to move; null if there is none or it was already released
     */
    synchronized PieceStore saveAndRelease(Supplier<BitSet> verified) throws IOException {
        if (!save(verified)) {
            return null;
        }
        released = true;
        return store;
    }

    /** Releases and closes the store (idempotent; closing a moved store closes nothing). */
    synchronized void close() throws IOException {
        released = true;
        if (store != null) {
            store.close();
        }
    }

    /** Releases the store and deletes its pieces and the saved bitfield. */
    synchronized void discard() throws IOException {
        released = true;
        if (store != null) {
            store.delete();
        }
        bitfieldStore.delete();
    }
}
