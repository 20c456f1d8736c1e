package org.parley.node.files;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.files.store.PieceStore;

/**
 * A {@link PieceStore} that counts the pieces written through it: each is a piece fetched from a
 * peer and verified, so a resumed download shows it fetched none of the pieces it already had.
 * Thread safe as the store it wraps.
 */
final class CountingPieceStore implements PieceStore {

    private final PieceStore store;
    private final AtomicInteger written;

    CountingPieceStore(PieceStore store, AtomicInteger written) {
        this.store = store;
        this.written = written;
    }

    @Override
    public void write(int index, byte[] data, int length) throws IOException {
        store.write(index, data, length);
        written.incrementAndGet();
    }

    @Override
    public void read(int index, byte[] out, int length) throws IOException {
        store.read(index, out, length);
    }

    @Override
    public void sync() throws IOException {
        store.sync();
    }

    @Override
    public void moveTo(java.nio.file.Path destination) throws IOException {
        store.moveTo(destination);
    }

    @Override
    public void delete() throws IOException {
        store.delete();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
