package org.parley.chat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.pb.ChatProtos;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Converts {@link ChatEnvelope}s to and from the Envelope protobuf: the only class that touches
 * its generated classes. The bytes are what gets padded and encrypted. Stateless, thread safe.
 *
 * <pre>
 *   Envelope = id(1, 16 bytes) hlc_physical_ms(2, uint64) hlc_counter(3, uint32) conversation(4, 16 bytes)
 *              oneof content { text(10) receipt(11) contact_request(12) contact_response(13)
 *                              group_ops(14) group_message(15) file_offer(16) batch(17) cover(20) }
 *   Batch        = envelopes(1, repeated Envelope: 2 to 64, each a text)
 *   GroupOps     = group(1, 16 bytes) ops(2, repeated bytes, each a SignedGroupOp)
 *   GroupMessage = group(1, 16 bytes) origin_identity(2, 33 bytes) origin_device(3)
 *                  oneof body { sender_key(4) ciphertext(5) } relay_to(6, repeated 33-byte keys)
 * </pre>
 *
 * proto3 drops zero values, so a timestamp of 0 ms and counter 0 are absent on the wire; enum zero
 * values (KIND_UNSPECIFIED, DECISION_UNSPECIFIED) are always rejected, so a missing field never
 * reads as a real choice.
 */
public final class EnvelopeCodec {

    private EnvelopeCodec() {}

    /**
     * The encoded envelope.
     *
     * @throws IllegalArgumentException if it exceeds {@link Padding#MAX_PLAINTEXT_BYTES}
     */
    public static byte[] encode(ChatEnvelope envelope) {
        byte[] bytes = message(envelope).toByteArray();
        if (bytes.length > Padding.MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("chat envelope of " + bytes.length + " bytes exceeds the "
                    + Padding.MAX_PLAINTEXT_BYTES + "-byte limit");
        }
        return bytes;
    }

    private static ChatProtos.Envelope message(ChatEnvelope envelope) {
        ChatProtos.Envelope.Builder pb = ChatProtos.Envelope.newBuilder()
                .setId(ByteString.copyFrom(envelope.id().bytes()))
                .setHlcPhysicalMs(envelope.timestamp().physicalMillis())
                .setHlcCounter(envelope.timestamp().counter())
                .setConversation(ByteString.copyFrom(envelope.conversation().bytes()));
        switch (envelope.content()) {
            case ChatContent.Text t -> pb.setText(ChatProtos.Text.newBuilder().setText(t.text()));
            case ChatContent.Receipt r -> {
                ChatProtos.Receipt.Builder receipt = ChatProtos.Receipt.newBuilder().setKind(switch (r.kind()) {
                    case DELIVERED -> ChatProtos.Receipt.Kind.DELIVERED;
                    case READ -> ChatProtos.Receipt.Kind.READ;
                });
                for (MessageId id : r.messageIds()) {
                    receipt.addMessageIds(ByteString.copyFrom(id.bytes()));
                }
                pb.setReceipt(receipt);
            }
            case ChatContent.ContactRequest c -> {
                ChatProtos.ContactRequest.Builder request = ChatProtos.ContactRequest.newBuilder().setIntro(c.intro());
                c.displayName().ifPresent(request::setDisplayName);
                pb.setContactRequest(request);
            }
            case ChatContent.ContactResponse c -> pb.setContactResponse(ChatProtos.ContactResponse.newBuilder()
                    .setDecision(c.accepted() ? ChatProtos.ContactResponse.Decision.ACCEPTED
                            : ChatProtos.ContactResponse.Decision.DECLINED));
            case ChatContent.GroupOps g -> {
                ChatProtos.GroupOps.Builder ops = ChatProtos.GroupOps.newBuilder()
                        .setGroup(ByteString.copyFrom(g.group().bytes()));
                for (byte[] op : g.ops()) {
                    ops.addOps(ByteString.copyFrom(op));
                }
                pb.setGroupOps(ops);
            }
            case ChatContent.GroupMessage m -> {
                ChatProtos.GroupMessage.Builder message = ChatProtos.GroupMessage.newBuilder()
                        .setGroup(ByteString.copyFrom(m.group().bytes()))
                        .setOriginIdentity(ByteString.copyFrom(m.origin().serializedKey()))
                        .setOriginDevice(m.originDevice());
                switch (m.kind()) {
                    case SENDER_KEY -> message.setSenderKey(ByteString.copyFrom(m.payload()));
                    case CIPHERTEXT -> message.setCiphertext(ByteString.copyFrom(m.payload()));
                    case DELIVERED -> message.setDelivered(ByteString.copyFrom(m.payload()));
                }
                for (UserId member : m.relayTo()) {
                    message.addRelayTo(ByteString.copyFrom(member.serializedKey()));
                }
                pb.setGroupMessage(message);
            }
            case ChatContent.Cover c -> pb.setCover(ChatProtos.Cover.getDefaultInstance());
            case ChatContent.FileOffer f -> pb.setFileOffer(ChatProtos.FileOffer.newBuilder().setLink(f.link()));
            case ChatContent.Batch b -> {
                ChatProtos.Batch.Builder batch = ChatProtos.Batch.newBuilder();
                for (ChatEnvelope inner : b.envelopes()) {
                    batch.addEnvelopes(message(inner));
                }
                pb.setBatch(batch);
            }
        }
        return pb.build();
    }

    /**
     * Reads an encoded envelope (padding already removed).
     *
     * @throws PeerFaultException naming the first thing wrong: size, protobuf, id or conversation
     *     length, clock range, missing or unknown content, a limit of the content
     */
    public static ChatEnvelope decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > Padding.MAX_PLAINTEXT_BYTES) {
            throw new PeerFaultException("chat envelope of " + bytes.length + " bytes exceeds the "
                    + Padding.MAX_PLAINTEXT_BYTES + "-byte limit");
        }
        ChatProtos.Envelope pb;
        try {
            pb = ChatProtos.Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed chat envelope: " + e.getMessage(), e);
        }
        return envelope(pb);
    }

    private static ChatEnvelope envelope(ChatProtos.Envelope pb) throws PeerFaultException {
        MessageId id = new MessageId(exactly(pb.getId(), MessageId.BYTES, "chat envelope id"));
        ConversationId conversation = new ConversationId(
                exactly(pb.getConversation(), ConversationId.BYTES, "chat envelope conversation id"));
        long physical = pb.getHlcPhysicalMs();
        if (physical < 0 || physical > HlcTimestamp.MAX_PHYSICAL_MILLIS) {
            throw new PeerFaultException("chat envelope HLC time " + Long.toUnsignedString(physical)
                    + " ms exceeds the limit of " + HlcTimestamp.MAX_PHYSICAL_MILLIS);
        }
        int counter = pb.getHlcCounter();
        if (counter < 0 || counter > HlcTimestamp.MAX_COUNTER) {
            throw new PeerFaultException("chat envelope HLC counter " + Integer.toUnsignedString(counter)
                    + " exceeds the limit of " + HlcTimestamp.MAX_COUNTER);
        }
        return new ChatEnvelope(id, new HlcTimestamp(physical, counter), conversation, content(pb));
    }

    private static ChatContent content(ChatProtos.Envelope pb) throws PeerFaultException {
        return switch (pb.getContentCase()) {
            case TEXT -> {
                String text = pb.getText().getText();
                int length = Utf8.length(text);
                if (length > ChatContent.MAX_TEXT_BYTES) {
                    throw new PeerFaultException("chat text of " + length + " UTF-8 bytes exceeds the "
                            + ChatContent.MAX_TEXT_BYTES + "-byte limit");
                }
                yield new ChatContent.Text(text);
            }
            case RECEIPT -> receipt(pb.getReceipt());
            case CONTACT_REQUEST -> contactRequest(pb.getContactRequest());
            case CONTACT_RESPONSE -> switch (pb.getContactResponse().getDecision()) {
                case ACCEPTED -> new ChatContent.ContactResponse(true);
                case DECLINED -> new ChatContent.ContactResponse(false);
                default -> throw new PeerFaultException("contact response decision "
                        + pb.getContactResponse().getDecisionValue() + " is unknown; expected 1 (accepted) or 2 (declined)");
            };
            case GROUP_OPS -> groupOps(pb.getGroupOps());
            case GROUP_MESSAGE -> groupMessage(pb.getGroupMessage());
            case COVER -> new ChatContent.Cover();
            case FILE_OFFER -> {
                String link = pb.getFileOffer().getLink();
                int length = Utf8.length(link);
                if (length == 0 || length > ChatContent.MAX_FILE_LINK_BYTES) {
                    throw new PeerFaultException("file offer link of " + length + " UTF-8 bytes; expected 1 to "
                            + ChatContent.MAX_FILE_LINK_BYTES);
                }
                yield new ChatContent.FileOffer(link);
            }
            case BATCH -> batch(pb.getBatch());
            case CONTENT_NOT_SET -> throw new PeerFaultException("chat envelope without known content; expected text,"
                    + " receipt, contact request, contact response, group operations, group message, file offer,"
                    + " batch or cover");
        };
    }

    private static ChatContent batch(ChatProtos.Batch pb) throws PeerFaultException {
        int count = pb.getEnvelopesCount();
        if (count < 2 || count > ChatContent.MAX_BATCH_TEXTS) {
            throw new PeerFaultException("batch holds " + count + " envelopes; expected 2 to "
                    + ChatContent.MAX_BATCH_TEXTS);
        }
        List<ChatEnvelope> envelopes = new ArrayList<>(count);
        for (ChatProtos.Envelope inner : pb.getEnvelopesList()) {
            if (inner.getContentCase() != ChatProtos.Envelope.ContentCase.TEXT) {
                throw new PeerFaultException("batch holds a " + inner.getContentCase() + " envelope; a batch holds"
                        + " texts only");
            }
            envelopes.add(envelope(inner));
        }
        try {
            return new ChatContent.Batch(envelopes);
        } catch (IllegalArgumentException e) {
            throw new PeerFaultException("invalid batch: " + e.getMessage(), e);
        }
    }

    private static ChatContent receipt(ChatProtos.Receipt pb) throws PeerFaultException {
        ChatContent.ReceiptKind kind = switch (pb.getKind()) {
            case DELIVERED -> ChatContent.ReceiptKind.DELIVERED;
            case READ -> ChatContent.ReceiptKind.READ;
            default -> throw new PeerFaultException("receipt kind " + pb.getKindValue()
                    + " is unknown; expected 1 (delivered) or 2 (read)");
        };
        int count = pb.getMessageIdsCount();
        if (count == 0 || count > ChatContent.MAX_RECEIPT_IDS) {
            throw new PeerFaultException("receipt names " + count + " messages; expected 1 to "
                    + ChatContent.MAX_RECEIPT_IDS);
        }
        List<MessageId> ids = new ArrayList<>(count);
        for (ByteString raw : pb.getMessageIdsList()) {
            ids.add(new MessageId(exactly(raw, MessageId.BYTES, "receipt message id")));
        }
        return new ChatContent.Receipt(kind, ids);
    }

    private static ChatContent contactRequest(ChatProtos.ContactRequest pb) throws PeerFaultException {
        String intro = pb.getIntro();
        int length = intro.codePointCount(0, intro.length());
        if (length > ChatContent.MAX_INTRO_LENGTH) {
            throw new PeerFaultException("contact request intro of " + length + " characters exceeds the "
                    + ChatContent.MAX_INTRO_LENGTH + "-character limit");
        }
        String name = pb.getDisplayName();
        int nameLength = name.codePointCount(0, name.length());
        if (nameLength > ChatContent.MAX_DISPLAY_NAME_LENGTH) {
            throw new PeerFaultException("contact request display name of " + nameLength
                    + " characters exceeds the " + ChatContent.MAX_DISPLAY_NAME_LENGTH + "-character limit");
        }
        return new ChatContent.ContactRequest(intro, name.isEmpty() ? Optional.empty() : Optional.of(name));
    }

    private static ChatContent groupOps(ChatProtos.GroupOps pb) throws PeerFaultException {
        ConversationId group = new ConversationId(exactly(pb.getGroup(), ConversationId.BYTES, "group id"));
        int count = pb.getOpsCount();
        if (count == 0 || count > ChatContent.MAX_GROUP_OPS) {
            throw new PeerFaultException("group operations envelope holds " + count + " operations; expected 1 to "
                    + ChatContent.MAX_GROUP_OPS);
        }
        List<byte[]> ops = new ArrayList<>(count);
        for (ByteString op : pb.getOpsList()) {
            if (op.isEmpty() || op.size() > ChatContent.MAX_GROUP_OP_BYTES) {
                throw new PeerFaultException("group operation of " + op.size() + " bytes; expected 1 to "
                        + ChatContent.MAX_GROUP_OP_BYTES);
            }
            ops.add(op.toByteArray());
        }
        return new ChatContent.GroupOps(group, ops);
    }

    private static ChatContent groupMessage(ChatProtos.GroupMessage pb) throws PeerFaultException {
        ConversationId group = new ConversationId(exactly(pb.getGroup(), ConversationId.BYTES, "group id"));
        byte[] identity = exactly(pb.getOriginIdentity(), UserId.KEY_BYTES + 1, "group message origin identity key");
        if (identity[0] != UserId.KEY_TYPE_DJB) {
            throw new PeerFaultException("group message origin identity key has type byte " + (identity[0] & 0xFF)
                    + "; expected " + UserId.KEY_TYPE_DJB);
        }
        int device = pb.getOriginDevice();
        if (device < 1 || device > ChatFrame.MAX_DEVICE_ID) {
            throw new PeerFaultException("group message origin device " + Integer.toUnsignedString(device)
                    + " is outside 1.." + ChatFrame.MAX_DEVICE_ID);
        }
        ChatContent.GroupPayloadKind kind;
        ByteString payload;
        switch (pb.getBodyCase()) {
            case SENDER_KEY -> {
                kind = ChatContent.GroupPayloadKind.SENDER_KEY;
                payload = pb.getSenderKey();
            }
            case CIPHERTEXT -> {
                kind = ChatContent.GroupPayloadKind.CIPHERTEXT;
                payload = pb.getCiphertext();
            }
            case DELIVERED -> {
                kind = ChatContent.GroupPayloadKind.DELIVERED;
                payload = pb.getDelivered();
                if (payload.isEmpty() || payload.size() % MessageId.BYTES != 0
                        || payload.size() / MessageId.BYTES > ChatContent.MAX_RECEIPT_IDS) {
                    throw new PeerFaultException("group receipt of " + payload.size() + " bytes; expected 1 to "
                            + ChatContent.MAX_RECEIPT_IDS + " message ids of " + MessageId.BYTES + " bytes");
                }
            }
            default -> throw new PeerFaultException("group message without a body; expected a sender key, a"
                    + " ciphertext or a receipt");
        }
        if (payload.isEmpty() || payload.size() > ChatContent.MAX_GROUP_PAYLOAD_BYTES) {
            throw new PeerFaultException("group message payload of " + payload.size() + " bytes; expected 1 to "
                    + ChatContent.MAX_GROUP_PAYLOAD_BYTES);
        }
        int relays = pb.getRelayToCount();
        if (relays > 0 && kind != ChatContent.GroupPayloadKind.CIPHERTEXT) {
            throw new PeerFaultException("group sender key asks for relays; only a ciphertext is relayed");
        }
        if (relays > ChatContent.MAX_GROUP_RELAY_TARGETS) {
            throw new PeerFaultException("group message asks for " + relays + " relays; expected at most "
                    + ChatContent.MAX_GROUP_RELAY_TARGETS);
        }
        List<UserId> relayTo = new ArrayList<>(relays);
        for (ByteString raw : pb.getRelayToList()) {
            byte[] key = exactly(raw, UserId.KEY_BYTES + 1, "group relay target identity key");
            if (key[0] != UserId.KEY_TYPE_DJB) {
                throw new PeerFaultException("group relay target identity key has type byte " + (key[0] & 0xFF)
                        + "; expected " + UserId.KEY_TYPE_DJB);
            }
            relayTo.add(UserId.fromSerializedKey(key));
        }
        return new ChatContent.GroupMessage(group, UserId.fromSerializedKey(identity), device, kind,
                payload.toByteArray(), relayTo);
    }

    static byte[] exactly(ByteString value, int expected, String what) throws PeerFaultException {
        if (value.size() != expected) {
            throw new PeerFaultException(what + " of " + value.size() + " bytes; expected " + expected);
        }
        return value.toByteArray();
    }
}
