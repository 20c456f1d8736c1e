package org.parley.files.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a download keeps its verified pieces, already decrypted, until the file is whole: a partial
 * file the node places in its data dir, plaintext chunk {@code i} at {@code i * chunkSize}, so that
 * once every piece is in, the partial file is the file and goes into place by a rename (no second
 * pass over the data). Pieces arrive in any order. Thread safe: several peers' pieces are written at
 * once.
 */
public interface PieceStore extends AutoCloseable {

    /** Stores the plaintext of piece {@code index} ({@code data[0, length)}). */
    void write(int index, byte[] data, int length) throws IOException;

    /** Reads the plaintext of piece {@code index} (of {@code length} bytes) into {@code out}. */
    void read(int index, byte[] out, int length) throws IOException;

    /** Makes every write so far durable, before the bitfield claims it. */
    void sync() throws IOException;

    /**
     * Closes the store and moves what it holds, now the whole file, to {@code destination} (a file
     * that does not exist yet): a rename where it can, else a copy and a delete.
     */
    void moveTo(Path destination) throws IOException;

    /** Removes the stored pieces (on cancel, or when they are found damaged). */
    void delete() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens the store of a download once its chunk size is known (from the manifest). */
    @FunctionalInterface
    interface Opener {
        PieceStore open(int chunkSize) throws IOException;
    }
}
