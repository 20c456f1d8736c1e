package org.parley.node.chat;

import java.util.ArrayList;
import java.util.List;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.MessageId;

/** How queued entries are grouped into the envelopes that go out: receipts merged, texts batched. */
final class OutboxUnits {

    private OutboxUnits() {}

    /**
     * Groups the entries into what goes out as one envelope: consecutive receipts of one kind
     * travel together (up to {@link ChatContent#MAX_RECEIPT_IDS} ids), consecutive texts too (a
     * {@link ChatContent.Batch} of up to {@link ChatContent#MAX_BATCH_TEXTS}, within
     * {@link ChatContent#MAX_BATCH_TEXT_BYTES}), everything else alone. A burst of messages then
     * costs one ratchet step, frame and ack per batch, and one receipt frame back.
     */
    static List<List<OutboxEntry>> coalesce(List<OutboxEntry> entries) {
        List<List<OutboxEntry>> units = new ArrayList<>();
        List<OutboxEntry> current = null;
        // What the current unit holds so far: receipt ids, or texts and their UTF-8 bytes.
        int count = 0;
        long bytes = 0;
        for (OutboxEntry e : entries) {
            ChatContent content = e.envelope().content();
            ChatContent first = current == null ? null : current.getFirst().envelope().content();
            int length = content instanceof ChatContent.Text t ? t.utf8Length() : 0;
            if (content instanceof ChatContent.Receipt r) {
                if (first instanceof ChatContent.Receipt f && f.kind() == r.kind()
                        && count + r.messageIds().size() <= ChatContent.MAX_RECEIPT_IDS) {
                    current.add(e);
                    count += r.messageIds().size();
                    continue;
                }
                current = new ArrayList<>(List.of(e));
                units.add(current);
                count = r.messageIds().size();
            } else if (content instanceof ChatContent.Text && length <= ChatContent.MAX_BATCH_TEXT_BYTES) {
                if (first instanceof ChatContent.Text && count < ChatContent.MAX_BATCH_TEXTS
                        && bytes + length <= ChatContent.MAX_BATCH_TEXT_BYTES
                        && e.envelope().conversation().equals(current.getFirst().envelope().conversation())) {
                    current.add(e);
                    count++;
                    bytes += length;
                    continue;
                }
                current = new ArrayList<>(List.of(e));
                units.add(current);
                count = 1;
                bytes = length;
            } else {
                current = null;
                units.add(List.of(e));
            }
        }
        return units;
    }

    /**
     * The envelope a unit goes out as: the entry itself; its receipts merged into the first one's
     * envelope; or its texts as a batch under the first one's id and time.
     */
    static ChatEnvelope envelopeOf(List<OutboxEntry> unit) {
        ChatEnvelope first = unit.getFirst().envelope();
        if (unit.size() == 1) {
            return first;
        }
        if (first.content() instanceof ChatContent.Text) {
            return new ChatEnvelope(first.id(), first.timestamp(), first.conversation(),
                    new ChatContent.Batch(unit.stream().map(OutboxEntry::envelope).toList()));
        }
        List<MessageId> ids = new ArrayList<>();
        for (OutboxEntry e : unit) {
            ids.addAll(((ChatContent.Receipt) e.envelope().content()).messageIds());
        }
        ChatContent.ReceiptKind kind = ((ChatContent.Receipt) first.content()).kind();
        return new ChatEnvelope(first.id(), first.timestamp(), first.conversation(), new ChatContent.Receipt(kind, ids));
    }
}
