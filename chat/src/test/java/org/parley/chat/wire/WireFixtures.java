package org.parley.chat.wire;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.UserId;

/** Fixed records for codec tests and fuzz seeds. */
final class WireFixtures {

    static final UserId ALICE = UserId.fromPublicKeyBytes(HexFormat.of().parseHex(
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    static final MessageId ID = new MessageId(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));
    static final ConversationId CONVERSATION = new ConversationId(HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
    static final HlcTimestamp TIME = new HlcTimestamp(1_764_777_600_000L, 3);

    private WireFixtures() {}

    static ChatEnvelope envelope(ChatContent content) {
        return new ChatEnvelope(ID, TIME, CONVERSATION, content);
    }

    static List<ChatEnvelope> envelopes() {
        return List.of(
                envelope(new ChatContent.Text("hello")),
                envelope(new ChatContent.Receipt(ChatContent.ReceiptKind.READ, List.of(ID, ID))),
                envelope(new ChatContent.ContactRequest("hi, we met at the conference", Optional.of("Ann"))),
                envelope(new ChatContent.ContactResponse(true)),
                envelope(new ChatContent.GroupOps(CONVERSATION, List.of(filled(40, 7), filled(3, 8)))),
                envelope(new ChatContent.GroupMessage(CONVERSATION, ALICE, 2, ChatContent.GroupPayloadKind.SENDER_KEY,
                        filled(90, 9))),
                envelope(new ChatContent.GroupMessage(CONVERSATION, ALICE, 127, ChatContent.GroupPayloadKind.CIPHERTEXT,
                        filled(300, 10))),
                envelope(new ChatContent.GroupMessage(CONVERSATION, ALICE, 3, ChatContent.GroupPayloadKind.CIPHERTEXT,
                        filled(40, 11), List.of(ALICE))),
                envelope(new ChatContent.GroupMessage(CONVERSATION, ALICE, 4, ChatContent.GroupPayloadKind.DELIVERED,
                        filled(2 * MessageId.BYTES, 12))),
                envelope(new ChatContent.Batch(List.of(envelope(new ChatContent.Text("one")),
                        new ChatEnvelope(MessageId.next(), new HlcTimestamp(TIME.physicalMillis(), 4), CONVERSATION,
                                new ChatContent.Text("two"))))),
                envelope(new ChatContent.Cover()));
    }

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] ecKey(int fill) {
        byte[] k = filled(33, fill);
        k[0] = 0x05;
        return k;
    }

    static byte[] kyberKey() {
        byte[] k = filled(PrekeyBundleMessage.KYBER_PUBLIC_KEY_BYTES, 0x42);
        k[0] = 0x08;
        return k;
    }

    static PrekeyBundleMessage bundle(boolean withOneTime) {
        return new PrekeyBundleMessage(1234, 1, ALICE, 7, ecKey(1), filled(64, 2),
                withOneTime ? OptionalInt.of(99) : OptionalInt.empty(), withOneTime ? ecKey(3) : new byte[0],
                11, kyberKey(), filled(64, 4));
    }
}
