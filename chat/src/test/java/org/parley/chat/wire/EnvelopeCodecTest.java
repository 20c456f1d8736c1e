package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.pb.ChatProtos;
import org.parley.libp2p.core.PeerFaultException;

class EnvelopeCodecTest {

    @Test
    void everyContentRoundTrips() throws Exception {
        for (ChatEnvelope e : WireFixtures.envelopes()) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
        }
        ChatEnvelope noName = WireFixtures.envelope(new ChatContent.ContactRequest("", Optional.empty()));
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(noName))).isEqualTo(noName);
    }

    @Test
    void textEnvelopeHasTheDocumentedLayout() {
        byte[] bytes = EnvelopeCodec.encode(WireFixtures.envelope(new ChatContent.Text("hi")));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "0a10000102030405060708090a0b0c0d0e0f"   // id
                + "1080c8c4a7ae33"                       // hlc_physical_ms: uvarint(1764777600000)
                + "1803"                                  // hlc_counter
                + "2210f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" // conversation
                + "52040a026869");                        // text(10) { text: "hi" }
    }

    private static ChatProtos.Envelope.Builder valid() {
        return ChatProtos.Envelope.newBuilder()
                .setId(ByteString.copyFrom(WireFixtures.ID.bytes()))
                .setConversation(ByteString.copyFrom(WireFixtures.CONVERSATION.bytes()))
                .setHlcPhysicalMs(1).setText(ChatProtos.Text.newBuilder().setText("x"));
    }

    private static ChatProtos.GroupMessage.Builder groupMessage() {
        byte[] key = new byte[33];
        key[0] = 5;
        return ChatProtos.GroupMessage.newBuilder().setGroup(ByteString.copyFrom(new byte[16]))
                .setOriginIdentity(ByteString.copyFrom(key)).setOriginDevice(1)
                .setCiphertext(ByteString.copyFrom(new byte[] {1}));
    }

    private static void rejects(ChatProtos.Envelope.Builder pb, String message) {
        assertThatThrownBy(() -> EnvelopeCodec.decode(pb.build().toByteArray()))
                .isInstanceOf(PeerFaultException.class).hasMessage(message);
    }

    @Test
    void rejectsBadFieldsWithExactMessages() {
        rejects(valid().setId(ByteString.copyFrom(new byte[15])), "chat envelope id of 15 bytes; expected 16");
        rejects(valid().clearConversation(), "chat envelope conversation id of 0 bytes; expected 16");
        rejects(valid().setHlcPhysicalMs(1L << 48), "chat envelope HLC time 281474976710656 ms exceeds the limit of 281474976710655");
        rejects(valid().setHlcPhysicalMs(-1), "chat envelope HLC time 18446744073709551615 ms exceeds the limit of 281474976710655");
        rejects(valid().setHlcCounter(65536), "chat envelope HLC counter 65536 exceeds the limit of 65535");
        rejects(valid().clearText(), "chat envelope without known content; expected text, receipt, contact request,"
                + " contact response, group operations, group message, file offer, batch or cover");
        rejects(valid().setGroupOps(ChatProtos.GroupOps.newBuilder().setGroup(ByteString.copyFrom(new byte[16]))),
                "group operations envelope holds 0 operations; expected 1 to 128");
        rejects(valid().setGroupOps(ChatProtos.GroupOps.newBuilder().setGroup(ByteString.copyFrom(new byte[16]))
                .addOps(ByteString.copyFrom(new byte[24 * 1024 + 1]))),
                "group operation of 24577 bytes; expected 1 to 24576");
        rejects(valid().setGroupMessage(groupMessage().setOriginIdentity(ByteString.copyFrom(new byte[33]))),
                "group message origin identity key has type byte 0; expected 5");
        rejects(valid().setGroupMessage(groupMessage().setOriginDevice(128)),
                "group message origin device 128 is outside 1..127");
        rejects(valid().setGroupMessage(groupMessage().clearCiphertext()),
                "group message without a body; expected a sender key, a ciphertext or a receipt");
        rejects(valid().setGroupMessage(groupMessage().clearCiphertext().setDelivered(ByteString.copyFrom(new byte[17]))),
                "group receipt of 17 bytes; expected 1 to 512 message ids of 16 bytes");
        rejects(valid().setGroupMessage(groupMessage().clearCiphertext()
                .setDelivered(ByteString.copyFrom(new byte[513 * 16]))),
                "group receipt of 8208 bytes; expected 1 to 512 message ids of 16 bytes");
        rejects(valid().setGroupMessage(groupMessage().setCiphertext(ByteString.copyFrom(new byte[17 * 1024 + 1]))),
                "group message payload of 17409 bytes; expected 1 to 17408");
        rejects(valid().setGroupMessage(groupMessage().clearCiphertext().setSenderKey(ByteString.copyFrom(new byte[] {1}))
                .addRelayTo(ByteString.copyFrom(WireFixtures.ecKey(1)))),
                "group sender key asks for relays; only a ciphertext is relayed");
        rejects(valid().setGroupMessage(groupMessage().addRelayTo(ByteString.copyFrom(new byte[32]))),
                "group relay target identity key of 32 bytes; expected 33");
        rejects(valid().setText(ChatProtos.Text.newBuilder().setText("é".repeat(31 * 1024))),
                "chat text of 63488 UTF-8 bytes exceeds the 61440-byte limit");
        rejects(valid().setReceipt(ChatProtos.Receipt.newBuilder().addMessageIds(ByteString.copyFrom(new byte[16]))),
                "receipt kind 0 is unknown; expected 1 (delivered) or 2 (read)");
        rejects(valid().setReceipt(ChatProtos.Receipt.newBuilder().setKind(ChatProtos.Receipt.Kind.READ)),
                "receipt names 0 messages; expected 1 to 512");
        rejects(valid().setReceipt(ChatProtos.Receipt.newBuilder().setKind(ChatProtos.Receipt.Kind.READ)
                .addMessageIds(ByteString.copyFrom(new byte[3]))), "receipt message id of 3 bytes; expected 16");
        rejects(valid().setContactRequest(ChatProtos.ContactRequest.newBuilder().setIntro("x".repeat(281))),
                "contact request intro of 281 characters exceeds the 280-character limit");
        rejects(valid().setContactRequest(ChatProtos.ContactRequest.newBuilder().setDisplayName("n".repeat(65))),
                "contact request display name of 65 characters exceeds the 64-character limit");
        rejects(valid().setContactResponse(ChatProtos.ContactResponse.newBuilder()),
                "contact response decision 0 is unknown; expected 1 (accepted) or 2 (declined)");
    }

    @Test
    void aFileOfferRoundTripsAndItsLinkIsBounded() throws Exception {
        ChatEnvelope offer = WireFixtures.envelope(new ChatContent.FileOffer("magnet:?xt=urn:parley:bciq&x.key=b"));
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(offer))).isEqualTo(offer);
        rejects(valid().setFileOffer(ChatProtos.FileOffer.newBuilder()), "file offer link of 0 UTF-8 bytes; expected 1 to 8192");
        rejects(valid().setFileOffer(ChatProtos.FileOffer.newBuilder().setLink("m".repeat(8193))),
                "file offer link of 8193 UTF-8 bytes; expected 1 to 8192");
        assertThatThrownBy(() -> new ChatContent.FileOffer("m".repeat(8193)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a file link has 1 to 8192 UTF-8 bytes, not 8193");
    }

    @Test
    void introLimitCountsCharactersNotBytes() throws Exception {
        String intro = "😀".repeat(280);
        ChatEnvelope e = WireFixtures.envelope(new ChatContent.ContactRequest(intro, Optional.empty()));
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
        assertThatThrownBy(() -> new ChatContent.ContactRequest(intro + "x", Optional.empty()))
                .hasMessage("an intro of 281 characters exceeds the 280-character limit");
    }

    @Test
    void rejectsOversizedAndMalformedBytesBeforeParsing() {
        assertThatThrownBy(() -> EnvelopeCodec.decode(new byte[65536]))
                .hasMessage("chat envelope of 65536 bytes exceeds the 65535-byte limit");
        assertThatThrownBy(() -> EnvelopeCodec.decode(new byte[] {0x0a, 0x10, 1}))
                .isInstanceOf(PeerFaultException.class).hasMessageStartingWith("malformed chat envelope: ");
    }

    @Test
    void largestTextStillFitsTheLargestBucket() {
        ChatEnvelope e = WireFixtures.envelope(new ChatContent.Text("x".repeat(ChatContent.MAX_TEXT_BYTES)));
        assertThat(Padding.pad(EnvelopeCodec.encode(e))).hasSize(Padding.MAX_PADDED_BYTES);
        assertThatThrownBy(() -> new ChatContent.Text("x".repeat(ChatContent.MAX_TEXT_BYTES + 1)))
                .hasMessage("a message of 61441 UTF-8 bytes exceeds the 61440-byte limit");
        assertThatThrownBy(() -> new ChatContent.Receipt(ChatContent.ReceiptKind.READ, List.of()))
                .hasMessage("a receipt names 1 to 512 messages, not 0");
    }

    private static ChatProtos.Envelope.Builder batchOf(ChatProtos.Envelope.Builder... inner) {
        ChatProtos.Batch.Builder batch = ChatProtos.Batch.newBuilder();
        for (ChatProtos.Envelope.Builder e : inner) {
            batch.addEnvelopes(e);
        }
        return valid().setBatch(batch);
    }

    @Test
    void aBatchKeepsEachTextsIdAndOrderAndHoldsTextsOnly() throws Exception {
        List<ChatEnvelope> texts = new java.util.ArrayList<>();
        for (int i = 0; i < ChatContent.MAX_BATCH_TEXTS; i++) {
            texts.add(new ChatEnvelope(MessageId.next(), new HlcTimestamp(1_000 + i, 0), WireFixtures.CONVERSATION,
                    new ChatContent.Text("text " + i)));
        }
        ChatEnvelope batch = WireFixtures.envelope(new ChatContent.Batch(texts));
        ChatEnvelope back = EnvelopeCodec.decode(EnvelopeCodec.encode(batch));
        assertThat(((ChatContent.Batch) back.content()).envelopes()).containsExactlyElementsOf(texts);

        rejects(batchOf(valid()), "batch holds 1 envelopes; expected 2 to 64");
        rejects(batchOf(valid(), valid().setCover(ChatProtos.Cover.getDefaultInstance())),
                "batch holds a COVER envelope; a batch holds texts only");
        rejects(batchOf(valid(), batchOf(valid(), valid())), "batch holds a BATCH envelope; a batch holds texts only");
        rejects(batchOf(valid(), valid().setId(ByteString.copyFrom(new byte[3]))),
                "chat envelope id of 3 bytes; expected 16");
        rejects(batchOf(valid(), valid().setConversation(ByteString.copyFrom(new byte[16]))),
                "invalid batch: the texts of a batch belong to one conversation");
        ChatProtos.Envelope.Builder[] tooMany = new ChatProtos.Envelope.Builder[ChatContent.MAX_BATCH_TEXTS + 1];
        java.util.Arrays.fill(tooMany, valid());
        rejects(batchOf(tooMany), "batch holds 65 envelopes; expected 2 to 64");
    }

    @Test
    void theLargestBatchStillFitsTheLargestBucket() {
        int each = ChatContent.MAX_BATCH_TEXT_BYTES / ChatContent.MAX_BATCH_TEXTS;
        List<ChatEnvelope> texts = new java.util.ArrayList<>();
        for (int i = 0; i < ChatContent.MAX_BATCH_TEXTS; i++) {
            texts.add(new ChatEnvelope(MessageId.next(), new HlcTimestamp(HlcTimestamp.MAX_PHYSICAL_MILLIS,
                    HlcTimestamp.MAX_COUNTER), WireFixtures.CONVERSATION, new ChatContent.Text("\u00e9".repeat(each / 2))));
        }
        ChatEnvelope batch = new ChatEnvelope(WireFixtures.ID, new HlcTimestamp(HlcTimestamp.MAX_PHYSICAL_MILLIS,
                HlcTimestamp.MAX_COUNTER), WireFixtures.CONVERSATION, new ChatContent.Batch(texts));
        assertThat(Padding.pad(EnvelopeCodec.encode(batch))).hasSize(Padding.MAX_PADDED_BYTES);
        texts.set(0, new ChatEnvelope(MessageId.next(), WireFixtures.TIME, WireFixtures.CONVERSATION,
                new ChatContent.Text("x".repeat(each + 1))));
        assertThatThrownBy(() -> new ChatContent.Batch(texts)).hasMessage("a batch's texts have at most 49152 UTF-8"
                + " bytes together, not 49153");
    }
}
