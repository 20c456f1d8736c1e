package org.parley.files.download;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import org.parley.files.manifest.FileId;
import org.parley.files.protocol.PieceSource;

/** A piece source that counts each piece it serves, can corrupt what it sends, and can run a hook after each piece. */
final class CountingSource implements PieceSource {

    final AtomicIntegerArray served;
    private final PieceSource inner;
    private final boolean corrupt;
    private volatile IntConsumer afterEachPiece = total -> { };
    private final java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();

    CountingSource(PieceSource inner, int pieces, boolean corrupt) {
        this.inner = inner;
        this.served = new AtomicIntegerArray(pieces);
        this.corrupt = corrupt;
    }

    void afterEachPiece(IntConsumer hook) {
        this.afterEachPiece = hook;
    }

    int totalServed() {
        return total.get();
    }

    @Override
    public FileId fileId() {
        return inner.fileId();
    }

    @Override
    public byte[] manifestBytes() {
        return inner.manifestBytes();
    }

    @Override
    public BitSet pieces() {
        return inner.pieces();
    }

    @Override
    public Reader openReader() throws IOException {
        Reader reader = inner.openReader();
        return new Reader() {
            @Override
            public SealedPiece read(int index) throws IOException {
                SealedPiece piece = reader.read(index);
                served.incrementAndGet(index);
                afterEachPiece.accept(total.incrementAndGet());
                if (corrupt) {
                    piece.data()[piece.data().length / 2] ^= 0x40;
                }
                return piece;
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }
}
