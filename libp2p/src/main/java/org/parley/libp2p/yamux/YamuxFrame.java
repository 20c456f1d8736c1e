package org.parley.libp2p.yamux;

import java.util.Arrays;
import java.util.Objects;

/**
 * One yamux frame: the header fields and, for a DATA frame read in full, its payload. The
 * version is not a field: it is always 0, and {@link YamuxFrameCodec} rejects anything else.
 *
 * <p>Immutable, except that the payload array is handed over, not copied: whoever creates the frame
 * must not change it afterwards.
 *
 * @param streamId the 32-bit stream id, unsigned (0 for PING and GO_AWAY)
 * @param length DATA: payload bytes; WINDOW_UPDATE: credit delta; PING: opaque value; GO_AWAY:
 *     error code. An unsigned 32-bit value.
 * @param payload the DATA payload of {@code length} bytes, or null for other types and for a DATA
 *     header whose payload is read separately
 */
public record YamuxFrame(Type type, int flags, int streamId, long length, byte[] payload) {

    /** Opens a stream; on PING, asks for an answer. */
    public static final int SYN = 0x1;
    /** Accepts a stream; on PING, is the answer. */
    public static final int ACK = 0x2;
    /** Half-closes the sender's direction of the stream. */
    public static final int FIN = 0x4;
    /** Aborts the stream in both directions. */
    public static final int RST = 0x8;

    /** GO_AWAY code: normal termination. */
    public static final int GO_AWAY_NORMAL = 0;
    /** GO_AWAY code: the receiver of the GO_AWAY broke the protocol. */
    public static final int GO_AWAY_PROTOCOL_ERROR = 1;
    /** GO_AWAY code: the sender of the GO_AWAY failed internally. */
    public static final int GO_AWAY_INTERNAL_ERROR = 2;

    /** Largest value of the unsigned 32-bit length field. */
    public static final long MAX_LENGTH = 0xFFFF_FFFFL;

    /** The frame types; the code is the header's type byte. */
    public enum Type {
        DATA(0),
        WINDOW_UPDATE(1),
        PING(2),
        GO_AWAY(3);

        private static final Type[] BY_CODE = values();

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The type with this code, or null if yamux defines none. */
        public static Type ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    public YamuxFrame {
        Objects.requireNonNull(type, "type");
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("yamux length " + length + " does not fit 32 unsigned bits");
        }
        if ((flags & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("yamux flags 0x" + Integer.toHexString(flags) + " do not fit 16 bits");
        }
        if (payload != null && (type != Type.DATA || payload.length != length)) {
            throw new IllegalArgumentException(
                    "a payload of " + payload.length + " bytes does not match a " + type + " frame of length " + length);
        }
    }

    /** A DATA frame carrying {@code payload}. */
    public static YamuxFrame data(int streamId, int flags, byte[] payload) {
        return new YamuxFrame(Type.DATA, flags, streamId, payload.length, payload);
    }

    public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
        return new YamuxFrame(Type.WINDOW_UPDATE, flags, streamId, delta, null);
    }

    /** A ping request ({@code flags = SYN}) or answer ({@code flags = ACK}). */
    public static YamuxFrame ping(int flags, long value) {
        return new YamuxFrame(Type.PING, flags, 0, value, null);
    }

    public static YamuxFrame goAway(int code) {
        return new YamuxFrame(Type.GO_AWAY, 0, 0, code, null);
    }

    /** True if every bit of {@code flag} is set. */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /** The stream id as the non-negative number it is on the wire. */
    public long unsignedStreamId() {
        return Integer.toUnsignedLong(streamId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof YamuxFrame that
                && type == that.type
                && flags == that.flags
                && streamId == that.streamId
                && length == that.length
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, flags, streamId, length, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(type.name());
        if (flags != 0) {
            text.append('[').append(flagNames(flags)).append(']');
        }
        return text.append(" stream ").append(unsignedStreamId()).append(" length ").append(length).toString();
    }

    static String flagNames(int flags) {
        StringBuilder names = new StringBuilder();
        String[] known = {"SYN", "ACK", "FIN", "RST"};
        for (int bit = 0; bit < 16; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (!names.isEmpty()) {
                    names.append('|');
                }
                names.append(bit < known.length ? known[bit] : "0x" + Integer.toHexString(1 << bit));
            }
        }
        return names.toString();
    }
}
