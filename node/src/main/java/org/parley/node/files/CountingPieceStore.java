package org.parley.node.files;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.files.store.PieceStore;

/**
 * A {@link PieceStore} that counts the pieces written through it: each is a piece fetched from a
 * peer and verified, so a resumed download shows it fetched none of the pieces it already had.
 * Each piece first takes its length from the node's download {@link TokenBucket}, which is how the
 * user's download limit slows the fetching peers (a worker writing a piece asks for no more).
 * Thread safe as the store it wraps.
 */
final class CountingPieceStore implements PieceStore {

    private final PieceStore store;
    private final AtomicInteger written;
    private final TokenBucket rate;

    CountingPieceStore(PieceStore store, AtomicInteger written, TokenBucket rate) {
        this.store = store;
        this.written = written;
        this.rate = rate;
    }

    @Override
    public void write(int index, byte[] data, int length) throws IOException {
        rate.take(length);
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
