package org.parley.libp2p.transport.webrtc;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message of the data-channel framing (libp2p webrtc/README.md): an optional flag and payload
 * bytes, either of which may be absent. Immutable.
 *
 * @param flag the flag, or null if the message carries none
 * @param payload the bytes (empty if none); not copied, callers do not change it
 */
public record DataChannelFrame(Flag flag, byte[] payload) {

    private static final byte[] EMPTY = new byte[0];

    /** The flags of the framing; their numbers are the wire values. */
    public enum Flag {
        /** The sender stops sending (half-close of its side). */
        FIN(0),
        /** The sender stops reading; the receiver should stop sending. */
        STOP_SENDING(1),
        /** The sender aborts its sending side; data in flight may be dropped. */
        RESET_STREAM(2),
        /** The sender received the other side's FIN. */
        FIN_ACK(3);

        private final int wireValue;

        Flag(int wireValue) {
            this.wireValue = wireValue;
        }

        /** The value on the wire. */
        public int wireValue() {
            return wireValue;
        }
    }

    public DataChannelFrame {
        payload = payload == null ? EMPTY : payload;
    }

    /** A frame carrying {@code payload} and no flag. */
    public static DataChannelFrame data(byte[] payload) {
        return new DataChannelFrame(null, Objects.requireNonNull(payload, "payload"));
    }

    /** A frame carrying only {@code flag}. */
    public static DataChannelFrame of(Flag flag) {
        return new DataChannelFrame(Objects.requireNonNull(flag, "flag"), EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataChannelFrame other && flag == other.flag && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(flag) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "DataChannelFrame[" + (flag == null ? "" : flag + ", ") + payload.length + " bytes]";
    }
}
