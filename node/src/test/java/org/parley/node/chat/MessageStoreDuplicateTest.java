package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * A message id kept once is kept once, on a real database file: a contact's message that comes
 * again, a sibling's copy of it, or a sent copy of it writes nothing (and queues no second
 * receipt); our own new message with a kept id fails instead of being dropped.
 */
class MessageStoreDuplicateTest {

    @TempDir
    Path dir;

    private final UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());

    @Test
    void aMessageThatComesAgainWritesNothing() throws Exception {
        try (StoreFixture fixture = StoreFixture.open(dir)) {
            MessageStore store = fixture.messages;
            long identity = fixture.identity;
            ChatEnvelope theirs = envelope(2_000);
            ChatEnvelope receipt = envelope(2_001);

            assertThat(store.addIncoming(identity, bob, theirs, "hello", Optional.of(receipt), 2_000)).isTrue();
            assertThat(store.addIncoming(identity, bob, theirs, "hello again", Optional.of(envelope(2_002)), 2_000))
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
    }

    @Test
    void ourNewMessageWithAKeptIdFails() throws Exception {
        try (StoreFixture fixture = StoreFixture.open(dir)) {
            ChatEnvelope theirs = envelope(2_000);
            fixture.messages.addIncoming(fixture.identity, bob, theirs, "hello", Optional.empty(), 2_000);

            assertThatThrownBy(() -> fixture.messages.addOutgoing(fixture.identity, bob, theirs, "mine", 3_000))
                    .isInstanceOf(StorageException.class).hasMessageContaining("UNIQUE");
            assertThat(fixture.messages.history(fixture.identity, bob, 10)).singleElement()
                    .extracting(StoredMessage::text).isEqualTo("hello");
        }
    }

    private static ChatEnvelope envelope(long millis) {
        return new ChatEnvelope(MessageId.random(), new HlcTimestamp(millis, 0), ConversationId.random(),
                new ChatContent.Text("t"));
    }
}
