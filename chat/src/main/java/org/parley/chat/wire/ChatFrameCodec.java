package org.parley.chat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.pb.ChatProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.LengthPrefixed;

/**
 * Frames {@link ChatFrame}s and {@link ChatAck}s on {@code /parley/chat/1.0.0} streams: the only
 * class that touches their generated classes. Stateless, thread safe.
 *
 * <pre>
 *   stream  = (frame ack)*                 the dialer writes frames, the listener one ack per frame, in order
 *   frame   = uvarint(length) ‖ ChatFrame  length ≤ MAX_FRAME_BYTES, checked before allocation
 *   ChatFrame = sender_identity(1, 33 bytes: 0x05 ‖ key) sender_device(2, 1..127)
 *               message_type(3, 2 or 3) ciphertext(4, 1..MAX_CIPHERTEXT_BYTES)
 *               padding(5, zeros: the frame's length a multiple of FRAME_GRANULE; ignored)
 *   ack     = uvarint(length) ‖ ChatAck    length ≤ MAX_ACK_BYTES (1.1.0: MAX_REPLY_ACK_BYTES)
 *   ChatAck = status(1, RECEIVED=1 | REJECTED=2) reason(2, ≤ 200 characters)
 *             reply(3, 1.1.0 only, RECEIVED only: a ChatFrame of ≤ MAX_REPLY_BYTES)
 * </pre>
 *
 * <p>{@code /parley/chat/1.1.0} is 1.0.0 plus the reply: a listener that took a frame of texts
 * answers with their delivered receipt on the ack, so a message costs one frame and one ack, not
 * two of each, and the receipt needs no outbox row on the listener's side.
 */
public final class ChatFrameCodec {

    /**
     * Encoded frames are padded up to a multiple of this. The envelope inside is already padded to
     * its bucket before encryption, but libsignal's message carries its ratchet counters as varints
     * (1 byte below 128, 2 below 16,384, ...), so a frame's length would still move by a few bytes
     * with the message count; 256 bytes hide that at a cost of at most 256 bytes a frame.
     */
    public static final int FRAME_GRANULE = 256;

    /**
     * A frame: the largest ciphertext plus its fields' tags and lengths (well under 256 bytes),
     * plus at most one granule of padding.
     */
    public static final int MAX_FRAME_BYTES = ChatFrame.MAX_CIPHERTEXT_BYTES + 256 + FRAME_GRANULE;

    /** An ack: a status and a 200-character reason of at most 4 UTF-8 bytes each, with tags. */
    public static final int MAX_ACK_BYTES = 4 * ChatAck.MAX_REASON_LENGTH + 16;

    /**
     * An ack's reply frame: a delivered receipt naming up to a batch's 64 texts pads to the 4 KiB
     * envelope bucket, and its frame to a few hundred bytes more. A reply that would not fit goes
     * through the replier's outbox instead.
     */
    public static final int MAX_REPLY_BYTES = 8 * 1024;

    /** An ack with a reply ({@code /parley/chat/1.1.0}): the reply, its tag and length, and the rest. */
    public static final int MAX_REPLY_ACK_BYTES = MAX_ACK_BYTES + MAX_REPLY_BYTES + 8;

    private ChatFrameCodec() {}

    /** The frame's bytes, padded to a multiple of {@link #FRAME_GRANULE}. */
    public static byte[] encode(ChatFrame frame) {
        ChatProtos.ChatFrame.Builder pb = ChatProtos.ChatFrame.newBuilder()
                .setSenderIdentity(ByteString.copyFrom(frame.sender().serializedKey()))
                .setSenderDevice(frame.senderDevice())
                .setMessageType(frame.kind().number())
                .setCiphertext(ByteString.copyFrom(frame.ciphertext()));
        int base = pb.build().getSerializedSize();
        return pb.setPadding(ByteString.copyFrom(new byte[paddingFor(base)])).build().toByteArray();
    }

    /**
     * How many padding bytes make a frame of {@code base} bytes a multiple of {@link #FRAME_GRANULE}
     * once the padding field (a 1-byte tag, a varint length, the bytes) is added.
     */
    static int paddingFor(int base) {
        if (base % FRAME_GRANULE == 0) {
            return 0;
        }
        int target = (base + 2 + FRAME_GRANULE - 1) / FRAME_GRANULE * FRAME_GRANULE;
        while (true) {
            int oneByteLength = target - base - 2;
            // proto3 leaves an empty bytes field out, so no padding at all is handled above, not here.
            if (oneByteLength >= 1 && oneByteLength < 128) {
                return oneByteLength;
            }
            int twoByteLength = target - base - 3;
            if (twoByteLength >= 128) {
                return twoByteLength;
            }
            // 128 bytes of padding would need a 2-byte length: no padding fits exactly; take the next granule.
            target += FRAME_GRANULE;
        }
    }

    /**
     * Reads one encoded frame (without its length prefix).
     *
     * @throws PeerFaultException naming what is wrong: size, protobuf, identity key, device
     *     number, message type, ciphertext length
     */
    public static ChatFrame decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_FRAME_BYTES) {
            throw new PeerFaultException("chat frame of " + bytes.length + " bytes exceeds the "
                    + MAX_FRAME_BYTES + "-byte limit");
        }
        ChatProtos.ChatFrame pb;
        try {
            pb = ChatProtos.ChatFrame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed chat frame: " + e.getMessage(), e);
        }
        UserId sender = PrekeyCodec.identity(pb.getSenderIdentity(), "chat frame sender identity");
        int device = pb.getSenderDevice();
        if (device < 1 || device > ChatFrame.MAX_DEVICE_ID) {
            throw new PeerFaultException("chat frame sender device " + Integer.toUnsignedString(device)
                    + " is outside 1.." + ChatFrame.MAX_DEVICE_ID);
        }
        ChatFrame.CiphertextKind kind = ChatFrame.CiphertextKind.of(pb.getMessageType());
        if (kind == null) {
            throw new PeerFaultException("chat frame message type " + Integer.toUnsignedString(pb.getMessageType())
                    + " is unknown; expected 2 (whisper) or 3 (prekey)");
        }
        int length = pb.getCiphertext().size();
        if (length == 0 || length > ChatFrame.MAX_CIPHERTEXT_BYTES) {
            throw new PeerFaultException("chat frame ciphertext of " + length + " bytes; expected 1 to "
                    + ChatFrame.MAX_CIPHERTEXT_BYTES);
        }
        return new ChatFrame(sender, device, kind, pb.getCiphertext().toByteArray());
    }

    /**
     * Reads one length-prefixed frame.
     *
     * @return the frame, or null if the stream ended cleanly before it
     * @throws PeerFaultException if the declared length exceeds {@link #MAX_FRAME_BYTES} (checked
     *     before reading it) or the frame is invalid
     * @throws java.io.EOFException if the stream ends inside the frame
     */
    public static ChatFrame read(InputStream in) throws IOException {
        byte[] bytes = LengthPrefixed.read(in, MAX_FRAME_BYTES);
        return bytes == null ? null : decode(bytes);
    }

    /**
     * Writes one length-prefixed frame and flushes. Prefix and frame go in one write, so a muxer
     * sends them as one data frame (a write per varint byte would cost a frame header each).
     */
    public static void write(OutputStream out, ChatFrame frame) throws IOException {
        out.write(LengthPrefixed.frame(encode(frame)));
        out.flush();
    }

    /**
     * The ack's bytes.
     *
     * @throws IllegalArgumentException if its reply encodes to more than {@link #MAX_REPLY_BYTES}
     */
    public static byte[] encodeAck(ChatAck ack) {
        ChatProtos.ChatAck.Builder pb = ChatProtos.ChatAck.newBuilder()
                .setStatus(ack.received() ? ChatProtos.ChatAck.Status.RECEIVED : ChatProtos.ChatAck.Status.REJECTED)
                .setReason(ack.reason());
        if (ack.reply().isPresent()) {
            byte[] reply = encode(ack.reply().get());
            if (reply.length > MAX_REPLY_BYTES) {
                throw new IllegalArgumentException("a chat ack's reply of " + reply.length + " bytes exceeds the "
                        + MAX_REPLY_BYTES + "-byte limit");
            }
            pb.setReply(ByteString.copyFrom(reply));
        }
        return pb.build().toByteArray();
    }

    /** Whether {@code frame} fits in an ack as its reply. */
    public static boolean fitsAsReply(ChatFrame frame) {
        return encode(frame).length <= MAX_REPLY_BYTES;
    }

    /**
     * Reads one encoded ack.
     *
     * @throws PeerFaultException if it is too large, malformed, of an unknown status, a
     *     "received" with a reason, a "rejected" with a reply, or its reply is too large or invalid
     */
    public static ChatAck decodeAck(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_REPLY_ACK_BYTES) {
            throw new PeerFaultException("chat ack of " + bytes.length + " bytes exceeds the "
                    + MAX_REPLY_ACK_BYTES + "-byte limit");
        }
        ChatProtos.ChatAck pb;
        try {
            pb = ChatProtos.ChatAck.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed chat ack: " + e.getMessage(), e);
        }
        return switch (pb.getStatus()) {
            case RECEIVED -> {
                if (!pb.getReason().isEmpty()) {
                    throw new PeerFaultException("chat ack says received but gives a rejection reason");
                }
                yield ChatAck.ok(reply(pb));
            }
            case REJECTED -> {
                if (!pb.getReply().isEmpty()) {
                    throw new PeerFaultException("chat ack says rejected but carries a reply");
                }
                yield ChatAck.rejected(pb.getReason());
            }
            default -> throw new PeerFaultException("chat ack status " + pb.getStatusValue()
                    + " is unknown; expected 1 (received) or 2 (rejected)");
        };
    }

    private static Optional<ChatFrame> reply(ChatProtos.ChatAck pb) throws PeerFaultException {
        if (pb.getReply().isEmpty()) {
            return Optional.empty();
        }
        if (pb.getReply().size() > MAX_REPLY_BYTES) {
            throw new PeerFaultException("chat ack reply of " + pb.getReply().size() + " bytes exceeds the "
                    + MAX_REPLY_BYTES + "-byte limit");
        }
        return Optional.of(decode(pb.getReply().toByteArray()));
    }

    /**
     * Reads one length-prefixed ack of a {@code /parley/chat/1.0.0} stream.
     *
     * @return the ack, or null if the stream ended cleanly before it
     * @throws PeerFaultException if it is invalid, or carries a reply, which 1.0.0 has not
     */
    public static ChatAck readAck(InputStream in) throws IOException {
        return readAck(in, false);
    }

    /**
     * Reads one length-prefixed ack; {@code replies} when the stream is {@code /parley/chat/1.1.0},
     * whose acks may carry one (the length limit, checked before allocation, is then larger).
     *
     * @return the ack, or null if the stream ended cleanly before it
     * @throws PeerFaultException if it is invalid, or carries a reply on a stream without replies
     */
    public static ChatAck readAck(InputStream in, boolean replies) throws IOException {
        byte[] bytes = LengthPrefixed.read(in, replies ? MAX_REPLY_ACK_BYTES : MAX_ACK_BYTES);
        if (bytes == null) {
            return null;
        }
        ChatAck ack = decodeAck(bytes);
        if (!replies && ack.reply().isPresent()) {
            throw new PeerFaultException("a chat ack carries a reply on a stream without replies (1.0.0)");
        }
        return ack;
    }

    /** Writes several length-prefixed acks in one write and flushes. */
    public static void writeAcks(OutputStream out, java.util.List<ChatAck> acks) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (ChatAck ack : acks) {
            all.write(LengthPrefixed.frame(encodeAck(ack)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Writes one length-prefixed ack and flushes, in one write as {@link #write} does. */
    public static void writeAck(OutputStream out, ChatAck ack) throws IOException {
        out.write(LengthPrefixed.frame(encodeAck(ack)));
        out.flush();
    }
}
