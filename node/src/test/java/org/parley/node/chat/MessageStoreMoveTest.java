package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.chat.StoreFixture.text;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.MessageId;

/**
 * The batch state moves of our messages on a real database file ({@link MessageStore#moveOutgoing}
 * for receipts, {@link MessageStore#markSent} for acks): only forward, only ours, never out of
 * failed; an id not kept is skipped; an ack also drops the outbox rows it answers.
 */
class MessageStoreMoveTest extends MessageStoreTestBase {

    @Test
    void receiptsMoveOnlyOurMessagesAndOnlyForward() throws Exception {
        MessageId pending = send("pending");
        MessageId failed = send("failed");
        assertThat(store.moveState(identity, bob, failed, MessageState.FAILED, Optional.of("no device"))).isTrue();
        ChatEnvelope theirs = text(1_000, 0);
        store.addIncoming(identity, bob, theirs, "theirs", Optional.empty(), 3_000);
        MessageId unknown = MessageId.next();

        assertThat(store.moveOutgoing(identity, bob, List.of(pending, failed, theirs.id(), unknown),
                MessageState.DELIVERED)).containsExactly(pending);
        assertThat(store.moveOutgoing(identity, bob, List.of(pending), MessageState.SENT)).as("backwards").isEmpty();
        assertThat(store.moveOutgoing(identity, bob, List.of(pending), MessageState.DELIVERED)).as("again").isEmpty();
        assertThat(store.moveOutgoing(identity, bob, List.of(pending, failed), MessageState.READ))
                .containsExactly(pending);

        assertThat(state(pending)).isEqualTo(MessageState.READ);
        assertThat(store.find(identity, bob, failed).orElseThrow().failure()).contains("no device");
        assertThat(state(failed)).isEqualTo(MessageState.FAILED);
        assertThat(state(theirs.id())).isEqualTo(MessageState.RECEIVED);
    }

    @Test
    void anAckDropsItsOutboxRowsAndMovesPendingTextsToSent() throws Exception {
        MessageId first = send("first");
        MessageId second = send("second");
        assertThat(store.moveOutgoing(identity, bob, List.of(second), MessageState.DELIVERED)).hasSize(1);
        List<Long> rows = store.queuedAfter(identity, bob, 0, 10).stream().map(OutboxEntry::rowId).toList();
        assertThat(rows).hasSize(2);

        // The receipt for the second came before the ack: it stays delivered.
        assertThat(store.markSent(identity, bob, rows, List.of(first, second))).containsExactly(first);

        assertThat(store.queuedAfter(identity, bob, 0, 10)).isEmpty();
        assertThat(state(first)).isEqualTo(MessageState.SENT);
        assertThat(state(second)).isEqualTo(MessageState.DELIVERED);
    }

    private MessageId send(String body) throws Exception {
        ChatEnvelope envelope = text(1_000, 0);
        store.addOutgoing(identity, bob, envelope, body, 1_000);
        return envelope.id();
    }

    private MessageState state(MessageId id) throws Exception {
        return store.find(identity, bob, id).orElseThrow().state();
    }
}
