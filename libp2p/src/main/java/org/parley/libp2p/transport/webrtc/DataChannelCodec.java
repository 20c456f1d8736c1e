package org.parley.libp2p.transport.webrtc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.transport.webrtc.pb.WebRtcProtos.DataChannelMessage;

/**
 * The framing of every WebRTC data channel: {@code uvarint(length) ‖ Message} with protobuf
 * {@code Message { flag, message }}. {@link #encode} writes one frame; a {@link Decoder} reads
 * frames from data-channel messages, which may split or join frames. Stateless apart from the
 * decoder's buffer; the codec itself is thread safe, each decoder belongs to one channel.
 */
public final class DataChannelCodec {

    /**
     * The largest frame, its length prefix included: the spec's limit, which browsers enforce as
     * the data channel's maximum message size (16 KiB).
     */
    public static final int MAX_FRAME_BYTES = 16_384;

    /**
     * The largest payload that fits one frame: {@link #MAX_FRAME_BYTES} less the length prefix (2
     * bytes), the field tag (1 byte) and the payload's own length (2 bytes).
     */
    public static final int MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - 5;

    /** Field 1 (flag), wire type varint. */
    private static final byte FLAG_TAG = 0x08;
    /** Field 2 (message), wire type length-delimited. */
    private static final byte MESSAGE_TAG = 0x12;

    private DataChannelCodec() {}

    /**
     * One frame holding {@code flag} (may be null) and {@code length} bytes of {@code payload} from
     * {@code offset}.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_PAYLOAD_BYTES}
     */
    public static byte[] encode(DataChannelFrame.Flag flag, byte[] payload, int offset, int length) {
        if (length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "a data-channel payload holds at most " + MAX_PAYLOAD_BYTES + " bytes, not " + length);
        }
        // Written by hand, in field order as protobuf writes it, to copy the payload only once:
        // [flag = 1, varint] [message = 2, length-delimited].
        int flagBytes = flag == null ? 0 : 1 + Varint.size(flag.wireValue());
        int messageBytes = length == 0 ? 0 : 1 + Varint.size(length) + length;
        int bodyLength = flagBytes + messageBytes;
        byte[] frame = new byte[Varint.size(bodyLength) + bodyLength];
        int position = Varint.write(bodyLength, frame, 0);
        if (flag != null) {
            frame[position++] = FLAG_TAG;
            position = Varint.write(flag.wireValue(), frame, position);
        }
        if (length > 0) {
            frame[position++] = MESSAGE_TAG;
            position = Varint.write(length, frame, position);
            System.arraycopy(payload, offset, frame, position, length);
        }
        return frame;
    }

    /** One frame of {@code frame}'s flag and payload. */
    public static byte[] encode(DataChannelFrame frame) {
        return encode(frame.flag(), frame.payload(), 0, frame.payload().length);
    }

    /**
     * Reads frames from the bytes of successive data-channel messages. A frame may span messages;
     * at most one frame's bytes ({@link #MAX_FRAME_BYTES}) are held between calls. Not thread safe.
     */
    public static final class Decoder {
        private final byte[] pending = new byte[MAX_FRAME_BYTES];
        private int pendingLength;

        /**
         * The frames completed by {@code bytes}, in order.
         *
         * @throws PeerFaultException if a frame declares more than {@link #MAX_FRAME_BYTES} bytes, its
         *     length prefix is malformed, its body is not a valid message or carries an unknown flag;
         *     the channel is then unusable
         */
        public List<DataChannelFrame> feed(byte[] bytes, int offset, int length) throws PeerFaultException {
            List<DataChannelFrame> frames = new ArrayList<>();
            int position = offset;
            int end = offset + length;
            while (position < end) {
                if (pendingLength == 0) {
                    // Whole frames are read where they lie; only a frame cut by the message's end is held.
                    int used = readFrame(bytes, position, end, frames);
                    if (used > 0) {
                        position += used;
                        continue;
                    }
                }
                int copied = Math.min(end - position, pending.length - pendingLength);
                System.arraycopy(bytes, position, pending, pendingLength, copied);
                pendingLength += copied;
                position += copied;
                int consumed = 0;
                while (true) {
                    int used = readFrame(pending, consumed, pendingLength, frames);
                    if (used == 0) {
                        break;
                    }
                    consumed += used;
                }
                System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
                pendingLength -= consumed;
            }
            return frames;
        }

        /** True if bytes of an unfinished frame are held. */
        public boolean hasPartialFrame() {
            return pendingLength > 0;
        }

        /** Reads one frame at {@code start} of {@code buffer} (up to {@code limit}); returns its size, or 0 if incomplete. */
        private static int readFrame(byte[] buffer, int start, int limit, List<DataChannelFrame> frames)
                throws PeerFaultException {
            long bodyLength = 0;
            int prefix = 0;
            while (true) {
                if (start + prefix >= limit) {
                    return 0;
                }
                int b = buffer[start + prefix] & 0xFF;
                bodyLength |= (long) (b & 0x7F) << (7 * prefix);
                prefix++;
                if ((b & 0x80) == 0) {
                    if (b == 0 && prefix > 1) {
                        throw new PeerFaultException("data-channel frame length is not minimally encoded");
                    }
                    break;
                }
                if (prefix == 3) {
                    // Three bytes of prefix already allow 2^21: more than any frame may be.
                    throw new PeerFaultException("data-channel frame length prefix is longer than 3 bytes");
                }
            }
            if (prefix + bodyLength > MAX_FRAME_BYTES) {
                throw new PeerFaultException("data-channel frame of " + (prefix + bodyLength)
                        + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
            }
            int size = prefix + (int) bodyLength;
            if (start + size > limit) {
                return 0;
            }
            frames.add(parse(buffer, start + prefix, (int) bodyLength));
            return size;
        }

        private static DataChannelFrame parse(byte[] bytes, int offset, int length) throws PeerFaultException {
            DataChannelFrame data = parseDataOnly(bytes, offset, length);
            if (data != null) {
                return data;
            }
            DataChannelMessage message;
            try {
                message = DataChannelMessage.parseFrom(ByteString.copyFrom(bytes, offset, length));
            } catch (InvalidProtocolBufferException e) {
                throw new PeerFaultException("data-channel frame is not a valid message: " + e.getMessage());
            }
            DataChannelFrame.Flag flag = null;
            if (message.hasFlag()) {
                flag = switch (message.getFlag()) {
                    case FIN -> DataChannelFrame.Flag.FIN;
                    case STOP_SENDING -> DataChannelFrame.Flag.STOP_SENDING;
                    case RESET_STREAM -> DataChannelFrame.Flag.RESET_STREAM;
                    case FIN_ACK -> DataChannelFrame.Flag.FIN_ACK;
                };
            } else if (message.getUnknownFields().hasField(1)) {
                throw new PeerFaultException("data-channel frame has an unknown flag");
            }
            return new DataChannelFrame(flag, message.hasMessage() ? message.getMessage().toByteArray() : null);
        }

        /**
         * The frame if the body is exactly one {@code message} field and nothing else (the usual
         * data frame), read without protobuf's copies; null for any other shape, which protobuf reads.
         */
        private static DataChannelFrame parseDataOnly(byte[] bytes, int offset, int length) {
            if (length < 2 || bytes[offset] != MESSAGE_TAG) {
                return null;
            }
            int payloadLength = 0;
            int position = offset + 1;
            int end = offset + length;
            // A frame is at most 16 KiB, so the length has at most 2 varint bytes; longer goes to protobuf.
            for (int shift = 0; shift < 14; shift += 7) {
                if (position >= end) {
                    return null;
                }
                int b = bytes[position++] & 0xFF;
                payloadLength |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (position + payloadLength != end) {
                        return null;
                    }
                    return new DataChannelFrame(null, Arrays.copyOfRange(bytes, position, end));
                }
            }
            return null;
        }
    }
}
