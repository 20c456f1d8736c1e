package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.pb.ChatProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;

class ChatFrameCodecTest {

    private static final ChatFrame FRAME = new ChatFrame(WireFixtures.ALICE, 3, ChatFrame.CiphertextKind.PREKEY,
            new byte[] {1, 2, 3});

    @Test
    void framesAndAcksRoundTripOnAStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatFrameCodec.write(out, FRAME);
        ChatFrameCodec.writeAck(out, ChatAck.ok());
        ChatFrameCodec.writeAck(out, ChatAck.rejected("not a contact"));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(ChatFrameCodec.read(in)).isEqualTo(FRAME);
        assertThat(ChatFrameCodec.readAck(in)).isEqualTo(ChatAck.ok());
        assertThat(ChatFrameCodec.readAck(in)).isEqualTo(ChatAck.rejected("not a contact"));
        assertThat(ChatFrameCodec.read(in)).isNull();
    }

    @Test
    void anAckOnAStreamWithRepliesCarriesItsReplyFrame() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatFrameCodec.writeAcks(out, java.util.List.of(ChatAck.ok(java.util.Optional.of(FRAME)), ChatAck.ok()));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(ChatFrameCodec.readAck(in, true)).isEqualTo(ChatAck.ok(java.util.Optional.of(FRAME)));
        assertThat(ChatFrameCodec.readAck(in, true)).isEqualTo(ChatAck.ok());
        assertThat(ChatFrameCodec.readAck(in, true)).isNull();
    }

    @Test
    void aReplyIsRefusedOnAStreamWithoutRepliesOnARejectionAndPastItsLimit() throws Exception {
        byte[] withReply = ChatFrameCodec.encodeAck(ChatAck.ok(java.util.Optional.of(FRAME)));
        assertThatThrownBy(() -> ChatFrameCodec.readAck(new ByteArrayInputStream(
                com.google.protobuf.ByteString.copyFrom(Varint.encode(withReply.length)).concat(
                        com.google.protobuf.ByteString.copyFrom(withReply)).toByteArray()), false))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("without replies");
        byte[] rejectedWithReply = ChatProtos.ChatAck.newBuilder().setStatus(ChatProtos.ChatAck.Status.REJECTED)
                .setReason("no").setReply(ByteString.copyFrom(ChatFrameCodec.encode(FRAME))).build().toByteArray();
        assertThatThrownBy(() -> ChatFrameCodec.decodeAck(rejectedWithReply))
                .isInstanceOf(PeerFaultException.class).hasMessage("chat ack says rejected but carries a reply");
        byte[] oversized = ChatProtos.ChatAck.newBuilder().setStatus(ChatProtos.ChatAck.Status.RECEIVED)
                .setReply(ByteString.copyFrom(new byte[ChatFrameCodec.MAX_REPLY_BYTES + 1])).build().toByteArray();
        assertThatThrownBy(() -> ChatFrameCodec.decodeAck(oversized))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("reply of 8193 bytes exceeds the 8192-byte limit");
        ChatFrame large = new ChatFrame(WireFixtures.ALICE, 3, ChatFrame.CiphertextKind.WHISPER,
                new byte[ChatFrameCodec.MAX_REPLY_BYTES]);
        assertThat(ChatFrameCodec.fitsAsReply(large)).isFalse();
        assertThat(ChatFrameCodec.fitsAsReply(FRAME)).isTrue();
        assertThatThrownBy(() -> ChatFrameCodec.encodeAck(ChatAck.ok(java.util.Optional.of(large))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatAck(false, "no", java.util.Optional.of(FRAME)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFrameIsPaddedToAWholeNumberOfGranulesAndReadsBackTheSame() throws Exception {
        for (int length = 1; length <= 5_000; length++) {
            ChatFrame frame = new ChatFrame(WireFixtures.ALICE, 3, ChatFrame.CiphertextKind.WHISPER, new byte[length]);
            byte[] encoded = ChatFrameCodec.encode(frame);
            assertThat(encoded.length % ChatFrameCodec.FRAME_GRANULE).as("ciphertext of %d bytes", length).isZero();
            assertThat(encoded.length).isLessThanOrEqualTo(length + 64 + 2 * ChatFrameCodec.FRAME_GRANULE);
            assertThat(ChatFrameCodec.decode(encoded)).isEqualTo(frame);
        }
    }

    @Test
    void checksTheDeclaredLengthBeforeAllocating() {
        byte[] prefix = Varint.encode(Integer.MAX_VALUE);
        assertThatThrownBy(() -> ChatFrameCodec.read(new ByteArrayInputStream(prefix)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("length-prefixed message of 2147483647 bytes exceeds the limit of 74240");
        assertThatThrownBy(() -> ChatFrameCodec.readAck(new ByteArrayInputStream(Varint.encode(817))))
                .hasMessage("length-prefixed message of 817 bytes exceeds the limit of 816");
        byte[] cut = {10, 1, 2};
        assertThatThrownBy(() -> ChatFrameCodec.read(new ByteArrayInputStream(cut))).isInstanceOf(EOFException.class);
    }

    private static ChatProtos.ChatFrame.Builder valid() {
        return ChatProtos.ChatFrame.newBuilder()
                .setSenderIdentity(ByteString.copyFrom(WireFixtures.ALICE.serializedKey()))
                .setSenderDevice(1).setMessageType(2).setCiphertext(ByteString.copyFrom(new byte[] {9}));
    }

    private static void rejects(ChatProtos.ChatFrame.Builder pb, String message) {
        assertThatThrownBy(() -> ChatFrameCodec.decode(pb.build().toByteArray()))
                .isInstanceOf(PeerFaultException.class).hasMessage(message);
    }

    @Test
    void rejectsBadFramesWithExactMessages() {
        rejects(valid().setSenderIdentity(ByteString.copyFrom(new byte[32])),
                "chat frame sender identity of 32 bytes is not a 33-byte key starting with 0x05");
        rejects(valid().setSenderDevice(0), "chat frame sender device 0 is outside 1..127");
        rejects(valid().setSenderDevice(-1), "chat frame sender device 4294967295 is outside 1..127");
        rejects(valid().setMessageType(7), "chat frame message type 7 is unknown; expected 2 (whisper) or 3 (prekey)");
        rejects(valid().clearCiphertext(), "chat frame ciphertext of 0 bytes; expected 1 to 73728");
        assertThatThrownBy(() -> ChatFrameCodec.decode(new byte[ChatFrameCodec.MAX_FRAME_BYTES + 1]))
                .hasMessage("chat frame of 74241 bytes exceeds the 74240-byte limit");
    }

    @Test
    void rejectsBadAcksWithExactMessages() {
        assertThatThrownBy(() -> ChatFrameCodec.decodeAck(new byte[0]))
                .hasMessage("chat ack status 0 is unknown; expected 1 (received) or 2 (rejected)");
        byte[] receivedWithReason = ChatProtos.ChatAck.newBuilder().setStatus(ChatProtos.ChatAck.Status.RECEIVED)
                .setReason("but").build().toByteArray();
        assertThatThrownBy(() -> ChatFrameCodec.decodeAck(receivedWithReason))
                .hasMessage("chat ack says received but gives a rejection reason");
    }

    @Test
    void longRejectionReasonsAreCut() {
        assertThat(ChatAck.rejected("r".repeat(500)).reason()).hasSize(ChatAck.MAX_REASON_LENGTH);
        assertThat(ChatFrameCodec.encodeAck(ChatAck.rejected("é".repeat(500)))).hasSizeLessThanOrEqualTo(ChatFrameCodec.MAX_ACK_BYTES);
    }
}
