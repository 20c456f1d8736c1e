package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.chat.MessageState;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The payload of a chat journal entry: what is written reads back as the same message, and a
 * payload that is not one (not JSON, a field missing, a bad id or user ID) is refused by name.
 */
class ChatEntryPayloadTest {

    private static final UserId ALICE = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private static final UserId BOB = UserId.of(IdentityKeyPair.generate().getPublicKey());

    @Test
    void aMessageReadsBackAsItWasWritten() {
        ChatHistory.KeptMessage kept = new ChatHistory.KeptMessage(ALICE, BOB, MessageId.next(),
                ConversationId.random(), new HlcTimestamp(1_700_000_000_123L, 7), true, "héllo, Bob",
                MessageState.SENT);

        ChatHistory.KeptMessage read = ChatEntryPayload.decode(ChatEntryPayload.of(kept).encode()).message();

        assertThat(read.identity()).isEqualTo(ALICE);
        assertThat(read.contact()).isEqualTo(BOB);
        assertThat(read.id()).isEqualTo(kept.id());
        assertThat(read.conversation()).isEqualTo(kept.conversation());
        assertThat(read.time()).isEqualTo(kept.time());
        assertThat(read.outgoing()).isTrue();
        assertThat(read.text()).isEqualTo("héllo, Bob");
        assertThat(read.state()).isEqualTo(MessageState.SENT);
        assertThat(read.toString()).doesNotContain("héllo");
    }

    @Test
    void aPayloadThatIsNoChatMessageIsRefusedByName() {
        assertThatThrownBy(() -> ChatEntryPayload.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a chat entry");
        assertThatThrownBy(() -> ChatEntryPayload.decode("{\"v\":1}".getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks a field");
        String badUser = "{\"v\":1,\"identity\":\"nobody\",\"contact\":\"" + BOB.text() + "\",\"id\":\"00\","
                + "\"conversation\":\"00\",\"hlcMillis\":1,\"hlcCounter\":0,\"outgoing\":false,\"text\":\"t\","
                + "\"state\":\"received\"}";
        assertThatThrownBy(() -> ChatEntryPayload.decode(badUser.getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad user ID");
        String shortId = badUser.replace("\"nobody\"", "\"" + ALICE.text() + "\"");
        assertThatThrownBy(() -> ChatEntryPayload.decode(shortId.getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
