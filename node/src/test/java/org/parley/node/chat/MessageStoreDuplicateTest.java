package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.node.chat.StoreFixture.text;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.node.storage.StorageException;

/**
 * A message id kept once is kept once, on a real database file: a contact's message that comes
 * again, a sibling's copy of it, or a sent copy of it writes nothing (and queues no second
 * receipt); our own new message with a kept id fails instead of being dropped.
 */
class MessageStoreDuplicateTest extends MessageStoreTestBase {

    @Test
    void aMessageThatComesAgainWritesNothing() throws Exception {
        ChatEnvelope theirs = text(2_000, 0);
        ChatEnvelope receipt = text(2_001, 0);

        assertThat(store.addIncoming(identity, bob, theirs, "hello", Optional.of(receipt), 2_000)).isTrue();
        assertThat(store.addIncoming(identity, bob, theirs, "hello again", Optional.of(text(2_002, 0)), 2_000))
                .as("the same id again").isFalse();
        assertThat(store.addCopy(identity, bob, theirs, "a sibling's copy", false, MessageState.READ)).isFalse();
        assertThat(store.addSentCopy(identity, bob, theirs, "a sent copy")).isFalse();

        assertThat(store.history(identity, bob, 10)).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("hello");
            assertThat(m.state()).isEqualTo(MessageState.RECEIVED);
        });
        assertThat(store.queuedAfter(identity, bob, 0, 10)).extracting(e -> e.envelope().id())
                .containsExactly(receipt.id());
    }

    @Test
    void ourNewMessageWithAKeptIdFails() throws Exception {
        ChatEnvelope theirs = text(2_000, 0);
        store.addIncoming(identity, bob, theirs, "hello", Optional.empty(), 2_000);

        assertThatThrownBy(() -> store.addOutgoing(identity, bob, theirs, "mine", 3_000))
                .isInstanceOf(StorageException.class).hasMessageContaining("UNIQUE");
        assertThat(store.history(identity, bob, 10)).singleElement()
                .extracting(StoredMessage::text).isEqualTo("hello");
    }
}
