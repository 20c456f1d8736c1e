package org.parley.libp2p.transport.webrtc;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.transport.webrtc.pb.SignalingProtos;

/**
 * Reads and writes {@code /webrtc-signaling/0.0.1} messages: {@code uvarint(length) ‖ Message}.
 * Stateless, thread safe; streams belong to the caller.
 */
public final class SignalingCodec {

    /**
     * The largest signaling message we read. With trickled candidates an SDP stays near 1 KiB (a
     * data-channel-only offer with a fingerprint, ufrag and password); 16 KiB leaves room for long
     * candidate lists and extensions while keeping a hostile peer's allocation small.
     */
    public static final int MAX_MESSAGE_BYTES = 16_384;

    private SignalingCodec() {}

    /** The framed bytes of {@code message}. */
    public static byte[] encode(SignalingMessage message) {
        byte[] body = SignalingProtos.SignalingMessage.newBuilder()
                .setType(SignalingProtos.SignalingMessage.Type.forNumber(message.type().ordinal()))
                .setData(message.data())
                .build()
                .toByteArray();
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("a signaling message holds at most " + MAX_MESSAGE_BYTES
                    + " bytes, not " + body.length);
        }
        return LengthPrefixed.frame(body);
    }

    /** Writes and flushes one message. */
    public static void write(OutputStream out, SignalingMessage message) throws IOException {
        out.write(encode(message));
        out.flush();
    }

    /**
     * Reads one message.
     *
     * @return the message, or null if the stream ended cleanly before it
     * @throws PeerFaultException if it is longer than {@link #MAX_MESSAGE_BYTES}, not a valid
     *     message, or lacks its type or data
     * @throws java.io.EOFException if the stream ends inside the message
     */
    public static SignalingMessage read(InputStream in) throws IOException {
        byte[] body = LengthPrefixed.read(in, MAX_MESSAGE_BYTES);
        return body == null ? null : decode(body);
    }

    /** Parses one message body (without its length prefix). */
    static SignalingMessage decode(byte[] body) throws PeerFaultException {
        SignalingProtos.SignalingMessage message;
        try {
            message = SignalingProtos.SignalingMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("signaling message is not a valid message: " + e.getMessage());
        }
        if (!message.hasType()) {
            throw new PeerFaultException("signaling message has no type");
        }
        SignalingMessage.Type type = switch (message.getType()) {
            case SDP_OFFER -> SignalingMessage.Type.SDP_OFFER;
            case SDP_ANSWER -> SignalingMessage.Type.SDP_ANSWER;
            case ICE_CANDIDATE -> SignalingMessage.Type.ICE_CANDIDATE;
            case UNRECOGNIZED -> throw new PeerFaultException(
                    "signaling message has an unknown type " + message.getTypeValue());
        };
        if (!message.hasData()) {
            throw new PeerFaultException("signaling message of type " + type + " has no data");
        }
        return new SignalingMessage(type, message.getData());
    }
}
