package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.storage.NodeStorage;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * {@link HistoryOutbox#journal} on a real database file: while a device journals nothing, a kept
 * message queues no row; turning journaling on queues, once and in order, the contacts (a
 * removed one too, by its clock reading), then every one-to-one message, then every group
 * message; turning it off keeps what is queued.
 */
class HistoryOutboxJournalingTest {

    @TempDir
    Path dir;

    @Test
    void aDeviceAloneQueuesNothingAndQueuesItsWholeHistoryWhenJournalingStarts() throws Exception {
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        UserId carol = UserId.of(IdentityKeyPair.generate().getPublicKey());
        try (StoreFixture fixture = StoreFixture.open(dir)) {
            long identity = fixture.identity;
            NodeStorage storage = fixture.storage;
            HistoryOutbox outbox = new HistoryOutbox(storage.database());
            MessageStore store = fixture.messages;
            assertThat(outbox.journaling()).as("a new database journals until told it is alone").isTrue();

            assertThat(outbox.journal(false, 1_000)).isTrue();
            assertThat(outbox.journal(false, 1_000)).as("already off").isFalse();
            MessageId first = keep(store, identity, bob, "one");
            MessageId second = keep(store, identity, bob, "two");
            storage.database().transaction(c -> {
                ContactClock.set(c, identity, carol, new HlcTimestamp(5, 0), true);
                HistoryOutbox.recordContact(c, identity, carol);
                return null;
            });
            ConversationId group = ConversationId.random();
            MessageId groupMessage = MessageId.next();
            storage.database().transaction(c -> {
                try (var insert = c.prepareStatement("INSERT INTO group_message (identity_id, group_id, sender,"
                        + " message_id, outgoing, hlc_millis, hlc_counter, body) VALUES (?, ?, ?, ?, 0, 7, 0, X'00')")) {
                    insert.setLong(1, identity);
                    insert.setBytes(2, group.bytes());
                    insert.setString(3, bob.text());
                    insert.setBytes(4, groupMessage.bytes());
                    insert.executeUpdate();
                }
                return null;
            });
            assertThat(outbox.oldest(100)).as("nothing queued while alone").isEmpty();

            assertThat(outbox.journal(true, 2_000)).isTrue();
            assertThat(outbox.journal(true, 3_000)).as("already on: nothing queued twice").isFalse();
            assertThat(outbox.journaling()).isTrue();
            List<HistoryOutbox.Row> rows = outbox.oldest(100);
            assertThat(rows).extracting(HistoryOutbox.Row::change).containsExactly(HistoryOutbox.Change.CONTACT,
                    HistoryOutbox.Change.MESSAGE, HistoryOutbox.Change.MESSAGE, HistoryOutbox.Change.GROUP_MESSAGE);
            assertThat(rows.get(0).contact()).as("the removed contact, by its reading").isEqualTo(carol);
            assertThat(rows.get(1).messageId()).contains(first);
            assertThat(rows.get(2).messageId()).contains(second);
            assertThat(rows.get(3).messageId()).contains(groupMessage);
            assertThat(rows.get(3).group()).contains(group);
            assertThat(rows).allMatch(r -> r.identity() == identity);

            MessageId third = keep(store, identity, bob, "three");
            assertThat(outbox.oldest(100)).hasSize(5).last()
                    .satisfies(r -> assertThat(r.messageId()).contains(third));

            assertThat(outbox.journal(false, 4_000)).isTrue();
            keep(store, identity, bob, "four");
            assertThat(outbox.oldest(100)).as("queued rows stay, the new message adds none").hasSize(5);
        }
    }

    private static MessageId keep(MessageStore store, long identity, UserId contact, String text) throws Exception {
        ChatEnvelope envelope = new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0),
                ConversationId.random(), new ChatContent.Text(text));
        store.addOutgoing(identity, contact, envelope, text, System.currentTimeMillis());
        return envelope.id();
    }
}
