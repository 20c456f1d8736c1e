package org.parley.libp2p.noise;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import org.parley.libp2p.core.Duplex;

/**
 * Wraps a duplex and records every byte written through it and how many writes carried them;
 * optionally flips one bit of the outgoing stream at a given position, to tamper in transit.
 */
final class TappedDuplex implements Duplex {

    private final Duplex inner;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private long flipAt = -1;
    private long position;
    private int writes;
    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
            synchronized (written) {
                if (flipAt >= position && flipAt < position + len) {
                    copy[(int) (flipAt - position)] ^= 0x01;
                }
                position += len;
                writes++;
                written.write(copy, 0, len);
            }
            inner.out().write(copy, 0, len);
        }

        @Override
        public void flush() throws IOException {
            inner.out().flush();
        }

        @Override
        public void close() throws IOException {
            inner.out().close();
        }
    };

    TappedDuplex(Duplex inner) {
        this.inner = inner;
    }

    /** Flips the lowest bit of the byte at {@code offset} bytes from the current position. */
    void flipByteAfter(long offset) {
        synchronized (written) {
            flipAt = position + offset;
        }
    }

    @Override
    public InputStream in() {
        return inner.in();
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void close() {
        inner.close();
    }

    String writtenHex() {
        synchronized (written) {
            return HexFormat.of().formatHex(written.toByteArray());
        }
    }

    byte[] written() {
        synchronized (written) {
            return written.toByteArray();
        }
    }

    int writeCount() {
        synchronized (written) {
            return writes;
        }
    }
}
