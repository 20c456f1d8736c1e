package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.chat.MessageState;
import org.parley.node.contacts.ContactState;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The payloads of the journal kinds beyond a text: a file offer's link, a state change, a contact
 * change. Each reads back as written, and one outside the chat's limits is refused by name.
 */
class ChangePayloadsTest {

    private static final UserId ALICE = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private static final UserId BOB = UserId.of(IdentityKeyPair.generate().getPublicKey());

    @Test
    void aFileOfferKeepsItsLink() {
        ChatHistory.KeptMessage kept = new ChatHistory.KeptMessage(ALICE, BOB, MessageId.next(),
                ConversationId.random(), new HlcTimestamp(1_700_000_000_000L, 0), false, "notes.txt",
                MessageState.RECEIVED, Optional.of("magnet:?xt=urn:parley:x"));

        ChatHistory.KeptMessage read = ChatEntryPayload.decode(ChatEntryPayload.of(kept).encode()).message();

        assertThat(read.fileLink()).contains("magnet:?xt=urn:parley:x");
        assertThat(read.text()).isEqualTo("notes.txt");
        assertThat(read.toString()).doesNotContain("notes").doesNotContain("magnet");
    }

    @Test
    void aTextHasNoLinkField() {
        ChatHistory.KeptMessage kept = new ChatHistory.KeptMessage(ALICE, BOB, MessageId.next(),
                ConversationId.random(), new HlcTimestamp(1, 0), true, "hi", MessageState.SENT);

        String json = new String(ChatEntryPayload.of(kept).encode(), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("\"link\"");
        assertThat(ChatEntryPayload.decode(json.getBytes(StandardCharsets.UTF_8)).message().fileLink()).isEmpty();
    }

    @Test
    void aLinkLongerThanAFileOfferAllowsIsRefused() {
        String tooLong = "a".repeat(ChatContent.MAX_FILE_LINK_BYTES + 1);
        ChatEntryPayload payload = new ChatEntryPayload(1, ALICE.text(), BOB.text(), "00".repeat(MessageId.BYTES),
                "00".repeat(ConversationId.BYTES), 1, 0, false, "x", "received", tooLong);

        assertThatThrownBy(payload::message).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file link");
    }

    @Test
    void aStateChangeReadsBackAndOnlyDeliveredAndReadAreTaken() {
        ChatHistory.StateChange change = new ChatHistory.StateChange(ALICE, BOB, MessageId.next(), MessageState.READ);

        ChatHistory.StateChange read = ChatStatePayload.decode(ChatStatePayload.of(change).encode()).change();

        assertThat(read).isEqualTo(change);
        String id = "00".repeat(MessageId.BYTES);
        assertThatThrownBy(() -> new ChatStatePayload(1, ALICE.text(), BOB.text(), id, "failed").change())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not journaled");
        assertThatThrownBy(() -> new ChatStatePayload(1, ALICE.text(), BOB.text(), id, "flying").change())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no state");
        assertThatThrownBy(() -> new ChatStatePayload(1, ALICE.text(), BOB.text(), "00", "read").change())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message id");
        assertThatThrownBy(() -> new ChatStatePayload(1, ALICE.text(), null, id, "read").change())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks a field");
        assertThatThrownBy(() -> ChatStatePayload.decode("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a chat state entry");
    }

    @Test
    void aContactChangeReadsBackAndNamesOverTheLimitsAreRefused() {
        ChatHistory.ContactChange change = new ChatHistory.ContactChange(ALICE, BOB, false, ContactState.PENDING,
                Optional.of("bobby"), Optional.of("Bob"), Optional.of("hi, it is Bob"),
                Optional.of(new HlcTimestamp(1_764_000_000_000L, 7)), Optional.of(MessageId.next()));

        ChatHistory.ContactChange read = ContactChangePayload.decode(ContactChangePayload.of(change).encode())
                .change();

        assertThat(read).isEqualTo(change);
        assertThat(read.toString()).doesNotContain("bobby").doesNotContain("hi, it is");
        String longName = "n".repeat(ChatContent.MAX_DISPLAY_NAME_LENGTH + 1);
        assertThatThrownBy(() -> new ContactChangePayload(1, ALICE.text(), BOB.text(), false, "accepted", longName,
                null, null, null, null, null).change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        String longIntro = "i".repeat(ChatContent.MAX_INTRO_LENGTH + 1);
        assertThatThrownBy(() -> new ContactChangePayload(1, ALICE.text(), BOB.text(), false, "pending", null, null,
                longIntro, null, null, null).change()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intro");
        assertThatThrownBy(() -> new ContactChangePayload(1, ALICE.text(), BOB.text(), false, "friends", null, null,
                null, null, null, null).change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consent state");
        assertThatThrownBy(() -> new ContactChangePayload(1, "nobody", BOB.text(), true, "declined", null, null,
                null, null, null, null).change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad user ID");
        assertThatThrownBy(() -> new ContactChangePayload(2, ALICE.text(), BOB.text(), false, "accepted", null, null,
                null, 1L, null, null).change()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half");
        assertThatThrownBy(() -> new ContactChangePayload(2, ALICE.text(), BOB.text(), false, "accepted", null, null,
                null, 1L, HlcTimestamp.MAX_COUNTER + 1, null).change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counter");
        assertThatThrownBy(() -> new ContactChangePayload(2, ALICE.text(), BOB.text(), false, "accepted", null, null,
                null, -1L, 0, null).change()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
        assertThatThrownBy(() -> new ContactChangePayload(3, ALICE.text(), BOB.text(), true, "declined", null, null,
                null, 1L, 0, "ab").change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request id is not 16 bytes");
        assertThatThrownBy(() -> new ContactChangePayload(3, ALICE.text(), BOB.text(), true, "declined", null, null,
                null, 1L, 0, "zz".repeat(MessageId.BYTES)).change()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not hex");
    }

    @Test
    void aVersionOneContactEntryHasNoChangeTime() {
        String v1 = "{\"v\":1,\"identity\":\"" + ALICE.text() + "\",\"contact\":\"" + BOB.text()
                + "\",\"removed\":false,\"state\":\"accepted\"}";

        ChatHistory.ContactChange read = ContactChangePayload.decode(v1.getBytes(StandardCharsets.UTF_8)).change();

        assertThat(read.state()).isEqualTo(ContactState.ACCEPTED);
        assertThat(read.changedAt()).isEmpty();
    }
}
