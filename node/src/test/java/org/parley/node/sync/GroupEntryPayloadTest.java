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
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The payload of a {@code group.message} journal entry: what is written reads back as the same
 * message, and a payload that is not one (not JSON, a field missing, a bad user ID, a short id) is
 * refused by name.
 */
class GroupEntryPayloadTest {

    private static final UserId ALICE = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private static final UserId BOB = UserId.of(IdentityKeyPair.generate().getPublicKey());

    @Test
    void aGroupMessageReadsBackAsItWasWritten() {
        ChatHistory.KeptGroupMessage kept = new ChatHistory.KeptGroupMessage(ALICE, ConversationId.random(), BOB,
                MessageId.next(), new HlcTimestamp(1_700_000_000_123L, 3), false, "héllo, team");

        ChatHistory.KeptGroupMessage read = GroupEntryPayload.decode(GroupEntryPayload.of(kept).encode()).message();

        assertThat(read).isEqualTo(kept);
        assertThat(read.contact()).isEqualTo(BOB);
        assertThat(read.toString()).doesNotContain("héllo");
    }

    @Test
    void aPayloadThatIsNoGroupMessageIsRefusedByName() {
        assertThatThrownBy(() -> GroupEntryPayload.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a group message entry");
        assertThatThrownBy(() -> GroupEntryPayload.decode("{\"v\":1}".getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks a field");
        String good = "{\"v\":1,\"identity\":\"" + ALICE.text() + "\",\"group\":\"" + ConversationId.random()
                + "\",\"sender\":\"" + BOB.text() + "\",\"id\":\"" + MessageId.next() + "\",\"hlcMillis\":1,"
                + "\"hlcCounter\":0,\"outgoing\":false,\"text\":\"t\"}";
        assertThat(GroupEntryPayload.decode(good.getBytes(StandardCharsets.UTF_8)).message().text()).isEqualTo("t");
        String badUser = good.replace(BOB.text(), "nobody");
        assertThatThrownBy(() -> GroupEntryPayload.decode(badUser.getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad user ID");
        String shortGroup = good.replaceFirst("\"group\":\"[0-9a-f]+\"", "\"group\":\"00\"");
        assertThatThrownBy(() -> GroupEntryPayload.decode(shortGroup.getBytes(StandardCharsets.UTF_8)).message())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
