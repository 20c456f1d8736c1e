package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.group.GroupText;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * Group messages in the history outbox, on a real database: a message this device keeps is
 * recorded once, with its group, in the message's own transaction (a duplicate records nothing);
 * one taken over from a sibling's journal is kept once and recorded never; the outbox row leads
 * back to the sealed message.
 */
class GroupMessageOutboxTest {

    @TempDir
    Path dir;

    @Test
    void keptMessagesAreRecordedOnceAndImportedOnesNever() throws Exception {
        ConversationId group = ConversationId.random();
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        GroupText sent = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(1_000, 0), "from Bob");
        GroupText imported = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(2_000, 0), "copied");
        AtomicInteger wakes = new AtomicInteger();
        try (NodeStorage storage = NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"),
                PassphraseSource.of(null))) {
            long identity = new LocalIdentities(storage.database(), storage.cipher())
                    .create(IdentityKeyPair.generate(), 1, Optional.empty(), Instant.EPOCH).rowId();
            GroupStore store = new GroupStore(storage.database(), storage.cipher(), wakes::incrementAndGet);
            HistoryOutbox outbox = new HistoryOutbox(storage.database());

            assertThat(store.addMessage(identity, sent, false)).isTrue();
            assertThat(store.addMessage(identity, sent, false)).as("a duplicate").isFalse();
            assertThat(store.addImported(identity, imported, false)).isTrue();
            assertThat(store.addImported(identity, imported, false)).as("imported twice").isFalse();

            List<HistoryOutbox.Row> rows = outbox.oldest(10);
            assertThat(rows).hasSize(1);
            HistoryOutbox.Row row = rows.getFirst();
            assertThat(row.change()).isEqualTo(HistoryOutbox.Change.GROUP_MESSAGE);
            assertThat(row.group()).contains(group);
            assertThat(row.contact()).isEqualTo(bob);
            assertThat(row.messageId()).contains(sent.id());
            assertThat(wakes.get()).isEqualTo(1);

            GroupStore.Kept kept = store.find(identity, group, sent.id()).orElseThrow();
            assertThat(kept.text()).isEqualTo(sent);
            assertThat(kept.outgoing()).isFalse();
            assertThat(store.find(identity, group, MessageId.next())).isEmpty();
            assertThat(store.history(identity, group, 10)).containsExactly(sent, imported);
            assertThat(bodies(storage)).noneMatch(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)
                    .contains("from Bob"));
        }
    }

    private static List<byte[]> bodies(NodeStorage storage) throws Exception {
        return storage.database().read(c -> {
            List<byte[]> out = new java.util.ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM group_message");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
        });
    }
}
