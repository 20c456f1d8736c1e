package org.parley.chat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.chat.wire.pb.ChatProtos;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Converts {@link ChatEnvelope}s to and from the Envelope protobuf: the only class that touches
 * its generated classes. The bytes are what gets padded and encrypted. Stateless, thread safe.
 *
 * <pre>
 *   Envelope = id(1, 16 bytes) hlc_physical_ms(2, uint64) hlc_counter(3, uint32) conversation(4, 16 bytes)
 *              oneof content { text(10) receipt(11) contact_request(12) contact_response(13) file_offer(16) }
 *              reserved 14, 15 (group operations)
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
            case ChatContent.FileOffer f -> pb.setFileOffer(ChatProtos.FileOffer.newBuilder().setLink(f.link()));
        }
        byte[] bytes = pb.build().toByteArray();
        if (bytes.length > Padding.MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("chat envelope of " + bytes.length + " bytes exceeds the "
                    + Padding.MAX_PLAINTEXT_BYTES + "-byte limit");
        }
        return bytes;
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
            case FILE_OFFER -> {
                String link = pb.getFileOffer().getLink();
                int length = Utf8.length(link);
                if (length == 0 || length > ChatContent.MAX_FILE_LINK_BYTES) {
                    throw new PeerFaultException("file offer link of " + length + " UTF-8 bytes; expected 1 to "
                            + ChatContent.MAX_FILE_LINK_BYTES);
                }
                yield new ChatContent.FileOffer(link);
            }
            case CONTENT_NOT_SET -> throw new PeerFaultException(
                    "chat envelope without known content; expected text, receipt, contact request or contact response");
        };
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

    static byte[] exactly(ByteString value, int expected, String what) throws PeerFaultException {
        if (value.size() != expected) {
            throw new PeerFaultException(what + " of " + value.size() + " bytes; expected " + expected);
        }
        return value.toByteArray();
    }
}
