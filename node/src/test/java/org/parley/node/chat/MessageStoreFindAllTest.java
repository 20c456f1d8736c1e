package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * {@link MessageStore#findAll}, the history writer's read of a batch: on a real database file it
 * finds the same messages as {@link MessageStore#find} one at a time, across more ids than one
 * statement takes, leaves out ids with no message and messages of another contact, and shows a
 * state moved after the message was kept.
 */
class MessageStoreFindAllTest {

    @TempDir
    Path dir;

    @Test
    void findsWhatFindFindsInBatches() throws Exception {
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        UserId carol = UserId.of(IdentityKeyPair.generate().getPublicKey());
        try (StoreFixture fixture = StoreFixture.open(dir)) {
            long identity = fixture.identity;
            MessageStore store = fixture.messages;
            List<MessageId> asked = new ArrayList<>();
            for (int i = 0; i < MessageStore.FIND_ALL_BATCH * 2 + 5; i++) {
                asked.add(keep(store, identity, bob, "to bob " + i));
            }
            MessageId carols = keep(store, identity, carol, "to carol");
            MessageId missing = MessageId.next();
            assertThat(store.importState(identity, bob, asked.get(3), MessageState.DELIVERED)).isTrue();
            asked.add(missing);
            asked.add(carols);

            Map<MessageId, StoredMessage> found = store.findAll(identity, bob, asked);

            assertThat(found).hasSize(asked.size() - 2).doesNotContainKeys(missing, carols);
            for (MessageId id : asked.subList(0, asked.size() - 2)) {
                assertThat(found.get(id)).as("message " + id).isEqualTo(store.find(identity, bob, id).orElseThrow());
            }
            assertThat(found.get(asked.get(3)).state()).isEqualTo(MessageState.DELIVERED);
            assertThat(found.get(asked.get(7)).text()).isEqualTo("to bob 7");
        }
    }

    private static MessageId keep(MessageStore store, long identity, UserId contact, String text) throws Exception {
        ChatEnvelope envelope = new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0),
                ConversationId.random(), new ChatContent.Text(text));
        store.addOutgoing(identity, contact, envelope, text, System.currentTimeMillis());
        return envelope.id();
    }
}
