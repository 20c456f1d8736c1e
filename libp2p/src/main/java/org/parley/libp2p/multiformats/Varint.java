package org.parley.libp2p.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Multiformats unsigned varint: LEB128, least significant group first, minimal encoding only.
 * Stateless, thread safe.
 *
 * <pre>
 *   1xxxxxxx 1xxxxxxx 0xxxxxxx      at most 9 bytes, 63 bits; a final 0x00 byte after others is padding
 * </pre>
 */
public final class Varint {

    /** The multiformats spec caps a varint at 9 bytes (63 bits) so it always fits a signed long. */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    /** Number of bytes {@code value} takes. */
    public static int size(long value) {
        requireUnsigned(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        write(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code offset}; returns the offset after it. */
    public static int write(long value, byte[] out, int offset) {
        requireUnsigned(value);
        while ((value & ~0x7FL) != 0) {
            out[offset++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[offset++] = (byte) value;
        return offset;
    }

    public static void write(long value, OutputStream out) throws IOException {
        byte[] buf = new byte[MAX_BYTES];
        out.write(buf, 0, write(value, buf, 0));
    }

    public static void write(long value, ByteBuffer out) {
        requireUnsigned(value);
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    /**
     * Reads one varint from a stream.
     *
     * @return the value, or -1 if the stream ended before the first byte
     * @throws EOFException if the stream ends inside the varint
     * @throws PeerFaultException if the varint is longer than 9 bytes or not minimal
     */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new EOFException("stream ended inside a varint");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new PeerFaultException("varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new PeerFaultException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Reads one varint from a buffer, advancing its position.
     *
     * @throws PeerFaultException if the buffer ends inside the varint, or it is too long or not minimal
     */
    public static long read(ByteBuffer in) throws PeerFaultException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw new PeerFaultException("buffer ended inside a varint");
            }
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new PeerFaultException("varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new PeerFaultException("varint longer than " + MAX_BYTES + " bytes");
    }

    private static void requireUnsigned(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint value must be non-negative: " + value);
        }
    }
}
