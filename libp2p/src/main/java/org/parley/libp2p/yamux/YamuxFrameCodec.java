package org.parley.libp2p.yamux;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Converts between yamux frames and bytes. Stateless and thread safe.
 *
 * <pre>
 *   byte 0      1      2..3        4..7            8..11          12..
 *       +------+------+-----------+---------------+--------------+--------------------------+
 *       | ver  | type | flags     | stream id     | length       | payload: DATA only,      |
 *       | = 0  | 0..3 | BE16      | BE32          | BE32         | exactly `length` bytes   |
 *       +------+------+-----------+---------------+--------------+--------------------------+
 * </pre>
 *
 * Only DATA frames have a body; for the other types {@code length} is a value (window delta, ping
 * opaque, GO_AWAY code). A declared DATA length is checked against the caller's limit before a
 * byte of it is allocated or read.
 */
public final class YamuxFrameCodec {

    public static final int HEADER_LENGTH = 12;

    /** The only version the spec defines. */
    public static final int VERSION = 0;

    private YamuxFrameCodec() {}

    /**
     * Decodes the 12-byte header at {@code offset}; a DATA frame comes back without its payload.
     *
     * @throws PeerFaultException for a version other than 0 or an unknown type
     */
    public static YamuxFrame decodeHeader(byte[] header, int offset) throws PeerFaultException {
        int version = header[offset] & 0xFF;
        if (version != VERSION) {
            throw new PeerFaultException("yamux version " + version + " is not supported (expected 0)");
        }
        int typeCode = header[offset + 1] & 0xFF;
        YamuxFrame.Type type = YamuxFrame.Type.ofCode(typeCode);
        if (type == null) {
            throw new PeerFaultException("yamux frame type " + typeCode + " is unknown (expected 0 to 3)");
        }
        int flags = ((header[offset + 2] & 0xFF) << 8) | (header[offset + 3] & 0xFF);
        int streamId = readInt(header, offset + 4);
        long length = Integer.toUnsignedLong(readInt(header, offset + 8));
        return new YamuxFrame(type, flags, streamId, length, null);
    }

    /** Writes a 12-byte header at {@code offset}. */
    public static void encodeHeader(
            YamuxFrame.Type type, int flags, int streamId, long length, byte[] out, int offset) {
        out[offset] = VERSION;
        out[offset + 1] = (byte) type.code();
        out[offset + 2] = (byte) (flags >>> 8);
        out[offset + 3] = (byte) flags;
        writeInt(streamId, out, offset + 4);
        writeInt((int) length, out, offset + 8);
    }

    /** The header, followed by the payload for a DATA frame. */
    public static byte[] encode(YamuxFrame frame) {
        byte[] payload = payloadOf(frame);
        byte[] out = new byte[HEADER_LENGTH + payload.length];
        encodeHeader(frame.type(), frame.flags(), frame.streamId(), frame.length(), out, 0);
        System.arraycopy(payload, 0, out, HEADER_LENGTH, payload.length);
        return out;
    }

    /** Writes {@link #encode(YamuxFrame)}; the caller flushes. */
    public static void write(YamuxFrame frame, OutputStream out) throws IOException {
        out.write(encode(frame));
    }

    /**
     * Reads one whole frame, payload included.
     *
     * @param maxDataLength the largest DATA payload accepted
     * @return the frame, or null if the stream ended cleanly before its first byte
     * @throws PeerFaultException for a bad header or a DATA length above {@code maxDataLength}
     * @throws EOFException if the stream ends inside the frame
     */
    public static YamuxFrame read(InputStream in, int maxDataLength) throws IOException {
        byte[] header = new byte[HEADER_LENGTH];
        int got = in.readNBytes(header, 0, HEADER_LENGTH);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_LENGTH) {
            throw new EOFException("stream ended after " + got + " of 12 yamux header bytes");
        }
        YamuxFrame frame = decodeHeader(header, 0);
        if (frame.type() != YamuxFrame.Type.DATA) {
            return frame;
        }
        checkDataLength(frame.length(), maxDataLength);
        byte[] payload = in.readNBytes((int) frame.length());
        if (payload.length != frame.length()) {
            throw new EOFException(
                    "stream ended after " + payload.length + " of " + frame.length() + " yamux payload bytes");
        }
        return new YamuxFrame(frame.type(), frame.flags(), frame.streamId(), frame.length(), payload);
    }

    /** Fails if a DATA frame of {@code length} bytes is larger than {@code maxDataLength}. */
    public static void checkDataLength(long length, long maxDataLength) throws PeerFaultException {
        if (length > maxDataLength) {
            throw new PeerFaultException(
                    "yamux frame of " + length + " bytes exceeds the " + maxDataLength + "-byte maximum");
        }
    }

    private static byte[] payloadOf(YamuxFrame frame) {
        if (frame.payload() != null) {
            return frame.payload();
        }
        if (frame.type() == YamuxFrame.Type.DATA && frame.length() != 0) {
            throw new IllegalArgumentException("cannot encode " + frame + " without its payload");
        }
        return new byte[0];
    }

    private static int readInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24)
                | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    private static void writeInt(int value, byte[] out, int offset) {
        out[offset] = (byte) (value >>> 24);
        out[offset + 1] = (byte) (value >>> 16);
        out[offset + 2] = (byte) (value >>> 8);
        out[offset + 3] = (byte) value;
    }
}
