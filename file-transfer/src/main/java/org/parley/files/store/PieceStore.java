package org.parley.files.store;

import java.io.IOException;

/**
 * Where a download keeps its verified sealed pieces until the file is whole: a partial file the node
 * places in its data dir. Pieces arrive in any order. Thread safe: several peers' pieces are written
 * at once.
 */
public interface PieceStore extends AutoCloseable {

    /** Stores sealed piece {@code index} ({@code data[0, length)}). */
    void write(int index, byte[] data, int length) throws IOException;

    /** Reads sealed piece {@code index} (of {@code length} bytes) into {@code out}. */
    void read(int index, byte[] out, int length) throws IOException;

    /** Makes every write so far durable, before the bitfield claims it. */
    void sync() throws IOException;

    /** Removes the stored pieces (after the file is in place, or on cancel). */
    void delete() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens the store of a download once its chunk size is known (from the manifest). */
    @FunctionalInterface
    interface Opener {
        PieceStore open(int chunkSize) throws IOException;
    }
}
