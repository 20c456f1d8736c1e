package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** The outbox's grouping of receipts and of texts into one envelope, and its backoff. */
class ChatOutboxTest {

    private final UserId contact = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private final ConversationId conversation = ConversationId.random();
    private long row;

    @Test
    void consecutiveReceiptsOfOneKindTravelTogetherAndNothingElseIsMerged() {
        MessageId m1 = MessageId.next();
        MessageId m2 = MessageId.next();
        MessageId m3 = MessageId.next();
        List<OutboxEntry> entries = List.of(
                entry(new ChatContent.Text("one")),
                entry(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, List.of(m1))),
                entry(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, List.of(m2))),
                entry(new ChatContent.Receipt(ChatContent.ReceiptKind.READ, List.of(m1, m2))),
                entry(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, List.of(m3))),
                entry(new ChatContent.Text("two")));

        List<List<OutboxEntry>> units = OutboxUnits.coalesce(entries);

        assertThat(units).extracting(List::size).containsExactly(1, 2, 1, 1, 1);
        ChatEnvelope merged = OutboxUnits.envelopeOf(units.get(1));
        assertThat(merged.content()).isEqualTo(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, List.of(m1, m2)));
        assertThat(merged.id()).isEqualTo(entries.get(1).envelope().id());
        assertThat(OutboxUnits.envelopeOf(units.get(0))).isSameAs(entries.get(0).envelope());
    }

    @Test
    void aMergedReceiptStaysWithinTheLimitOfIds() {
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < ChatContent.MAX_RECEIPT_IDS + 3; i++) {
            entries.add(entry(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, List.of(MessageId.next()))));
        }
        List<List<OutboxEntry>> units = OutboxUnits.coalesce(entries);
        assertThat(units).extracting(List::size).containsExactly(ChatContent.MAX_RECEIPT_IDS, 3);
    }

    @Test
    void backoffDoublesFromHalfASecondUpToAMinute() {
        assertThat(ChatOutbox.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(ChatOutbox.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ChatOutbox.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(ChatOutbox.backoff(40)).isEqualTo(ChatOutbox.MAX_RETRY);
    }

    @Test
    void consecutiveTextsTravelAsOneBatchWithinItsLimitsAndInOrder() {
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < ChatContent.MAX_BATCH_TEXTS + 2; i++) {
            entries.add(entry(new ChatContent.Text("text " + i)));
        }
        entries.add(entry(new ChatContent.FileOffer("magnet:?xt=urn:parley:x")));
        entries.add(entry(new ChatContent.Text("after the file")));
        entries.add(entry(new ChatContent.Text("x".repeat(ChatContent.MAX_BATCH_TEXT_BYTES - 20))));
        entries.add(entry(new ChatContent.Text("y".repeat(20))));
        entries.add(entry(new ChatContent.Text("z".repeat(ChatContent.MAX_BATCH_TEXT_BYTES + 1))));
        entries.add(entry(new ChatContent.Text("last")));

        List<List<OutboxEntry>> units = OutboxUnits.coalesce(entries);

        // 64 texts, 2 more, the file offer alone, two texts, a text too long to share a batch with the
        // next (the byte limit), then one longer than any batch may be, alone, and the last one.
        assertThat(units).extracting(List::size).containsExactly(ChatContent.MAX_BATCH_TEXTS, 2, 1, 2, 1, 1, 1);
        ChatEnvelope batch = OutboxUnits.envelopeOf(units.getFirst());
        assertThat(batch.id()).isEqualTo(entries.getFirst().envelope().id());
        assertThat(((ChatContent.Batch) batch.content()).envelopes())
                .containsExactlyElementsOf(entries.subList(0, ChatContent.MAX_BATCH_TEXTS).stream()
                        .map(OutboxEntry::envelope).toList());
        assertThat(OutboxUnits.envelopeOf(units.get(2)).content()).isInstanceOf(ChatContent.FileOffer.class);
        assertThat(OutboxUnits.envelopeOf(units.get(5))).isSameAs(entries.get(entries.size() - 2).envelope());
    }

    private OutboxEntry entry(ChatContent content) {
        return new OutboxEntry(++row, 1, contact, new ChatEnvelope(MessageId.next(), new HlcTimestamp(1, 0),
                conversation, content), 0);
    }
}
