package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.crypto.FileKey;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;
import org.parley.journal.Journal;
import org.parley.journal.entry.JournalEntry;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.sync.ChatEntryParts;

/**
 * Whole nodes on loopback: what the history journal makes of Alice's chat. A message kept while
 * no entry could be made (a crash between the two, here a device running without history sync)
 * is journaled exactly once at the next start; file offers and receipts reach a device that was
 * off when they happened; contact changes made on one device after linking show on the other; and
 * a device whose clock runs an hour behind still shows a reply after the message it answers, on
 * both devices.
 */
class DeviceJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    /**
     * Alice's first device running without history sync (so her chat records changes that no
     * journal takes yet), befriended with Bob; returns both.
     */
    private ParleyNode[] aliceWithoutSyncAndBob() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode a1 = nodes.start(root.resolve("a1"), Optional.empty(), InstantSource.system(), Set.of("sync"));
        ParleyNode b = nodes.start(root.resolve("b"));
        talk.befriend(a1, b);
        return new ParleyNode[] {a1, b};
    }

    @Test
    void messagesKeptBeforeTheirEntryAreJournaledOnceAtTheNextStart() throws Exception {
        ParleyNode[] started = aliceWithoutSyncAndBob();
        ParleyNode a1 = started[0];
        ParleyNode b = started[1];
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "kept before its entry");
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "received before its entry");
        ChatNodes.await("device 1 keeps both messages", () -> talk.lines(a1).containsAll(
                List.of("outgoing:kept before its entry", "incoming:received before its entry")));
        List<String> ids = talk.ids(a1);
        assertThat(AliceAndBob.entriesOf(a1, a1.host().peerId())).isZero();
        assertThat(ChatNodes.rowsOf(a1, "history_outbox")).isGreaterThanOrEqualTo(2);
        nodes.stop(a1);

        ParleyNode again = nodes.start(root.resolve("a1"));
        ChatNodes.await("the changes left at the stop are journaled", () -> ChatNodes.rowsOf(again, "history_outbox") == 0);
        List<String> messages = journaledMessages(again);
        assertThat(messages).containsExactlyInAnyOrderElementsOf(ids);
        nodes.stop(again);

        // A receipt may arrive around a stop and leave a state change to journal; no message is journaled again.
        ParleyNode third = nodes.start(root.resolve("a1"));
        ChatNodes.await("nothing is left to journal", () -> ChatNodes.rowsOf(third, "history_outbox") == 0);
        assertThat(journaledMessages(third)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aBurstIsOneEntryThatALinkedDeviceTakesApart() throws Exception {
        ParleyNode[] started = aliceWithoutSyncAndBob();
        ParleyNode a1 = started[0];
        ParleyNode b = started[1];
        for (int i = 0; i < 3; i++) {
            nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "burst " + i + " from Alice");
            nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "burst " + i + " from Bob");
        }
        ChatNodes.await("device 1 keeps all six messages", () -> talk.ids(a1).size() == 6);
        nodes.stop(a1);

        // The restarted writer finds every change waiting at once: one entry holds them all.
        ParleyNode again = nodes.start(root.resolve("a1"));
        ChatNodes.await("the changes left at the stop are journaled", () -> ChatNodes.rowsOf(again, "history_outbox") == 0);
        Journal journal = nodes.journal(again);
        JournalEntry first = journal.store().after(journal.device(), 0, 1).getFirst();
        assertThat(first.kind()).isEqualTo("chat.changes");
        assertThat(ChatEntryParts.of(journal, first)).extracting(ChatEntryParts.Part::kind)
                .contains("contact.change", "chat.sent", "chat.received");
        assertThat(journaledMessages(again)).containsExactlyInAnyOrderElementsOf(talk.ids(again));

        ParleyNode a2 = nodes.startLinked(again, root.resolve("a2"));
        ChatNodes.await("the linked device shows the burst as device 1 does",
                () -> talk.lines(a2).equals(talk.lines(again)) && talk.ids(a2).size() == 6);
        assertThat(talk.ids(a2)).containsExactlyElementsOf(talk.ids(again));
    }

    @Test
    void aDeviceThatWasOffGetsFileOffersAndReceipts() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        ChatNodes.await("device 2 lists device 1 as in sync", () -> talk.syncOf(a2, a1).startsWith("in sync"));
        nodes.stop(a2);

        String link = new FileLink(FileId.ofManifest("notes manifest".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "notes.txt", 1234, List.of(), FileKey.generate()).toUri();
        nodes.chat.post(a1, ApiPaths.MESSAGES_FILE, "contact", "bob", "link", link);
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "read this while the laptop is off");
        // Bob's history view marks what it shows read, and sends Alice the read receipt.
        ChatNodes.await("Bob sees both", () -> history(b, "alice").size() == 2);
        ChatNodes.await("device 1 sees Bob read the text",
                () -> field(a1, "read this while the laptop is off", "state").equals("read"));

        ParleyNode back = nodes.start(root.resolve("a2"));
        ChatNodes.await("device 2 shows the text as read",
                () -> field(back, "read this while the laptop is off", "state").equals("read"));
        ChatNodes.await("device 2 shows the file offer", () -> !field(back, "notes.txt", "state").isEmpty());
        JsonNode file = message(back, "notes.txt").orElseThrow().get("file");
        assertThat(file.get("link").asText()).isEqualTo(link);
        assertThat(file.get("name").asText()).isEqualTo("notes.txt");
        assertThat(file.get("size").asLong()).isEqualTo(1234);
        assertThat(message(back, "notes.txt").orElseThrow().get("direction").asText()).isEqualTo("outgoing");
        assertThat(talk.ids(back)).containsExactlyElementsOf(talk.ids(a1));
    }

    @Test
    void aReplyFromADeviceAnHourBehindShowsAfterTheMessageOnBothDevices() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        DeviceNodes.MovableClock behind = new DeviceNodes.MovableClock();
        behind.advance(Duration.ofHours(-1));
        ParleyNode a2 = nodes.start(root.resolve("a2"), Optional.of(nodes.linkCode(a1)), behind);

        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "are you there?");
        ChatNodes.await("device 1 has Bob's question", () -> talk.lines(a1).contains("incoming:are you there?"));
        ChatNodes.await("device 2 has Bob's question", () -> talk.lines(a2).contains("incoming:are you there?"));
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "yes, from the laptop");

        List<String> expected = List.of("incoming:are you there?", "outgoing:yes, from the laptop");
        ChatNodes.await("device 1 has the reply", () -> talk.lines(a1).contains("outgoing:yes, from the laptop"));
        assertThat(talk.lines(a1)).containsExactlyElementsOf(expected);
        assertThat(talk.lines(a2)).containsExactlyElementsOf(expected);
        ChatNodes.await("Bob has the reply", () -> history(b, "alice").size() == 2);
        assertThat(history(b, "alice").get(1).get("text").asText()).isEqualTo("yes, from the laptop");
    }

    @Test
    void contactChangesMadeOnOneDeviceAfterLinkingShowOnTheOther() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        String bob = ChatNodes.userId(b);
        ChatNodes.await("device 2 has Bob from the link", () -> talk.contactState(a2, bob).equals("accepted"));

        nodes.chat.post(a1, ApiPaths.CONTACTS, "contact", bob, "name", "robert");
        ChatNodes.await("device 2 shows the new name", () -> contactField(a2, bob, "name").equals("robert"));
        nodes.chat.post(a1, ApiPaths.CONTACTS_BLOCK, "contact", "robert");
        ChatNodes.await("device 2 shows Bob blocked", () -> talk.contactState(a2, bob).equals("blocked"));
        nodes.chat.post(a1, ApiPaths.CONTACTS_UNBLOCK, "contact", "robert");
        ChatNodes.await("device 2 shows Bob accepted again", () -> talk.contactState(a2, bob).equals("accepted"));

        ParleyNode c = nodes.start(root.resolve("c"));
        String carol = ChatNodes.userId(c);
        nodes.chat.post(c, ApiPaths.CONTACTS, "contact", ChatNodes.userId(a1), "intro", "hi, it is Carol");
        ChatNodes.await("device 1 has Carol's request", () -> talk.contactState(a1, carol).equals("pending"));
        nodes.chat.post(a1, ApiPaths.CONTACTS_ACCEPT, "contact", carol);
        ChatNodes.await("device 2 shows Carol accepted", () -> talk.contactState(a2, carol).equals("accepted"));
        nodes.chat.post(a1, ApiPaths.CONTACTS_REMOVE, "contact", carol);
        ChatNodes.await("device 2 forgot Carol", () -> talk.contactState(a2, carol).equals("none"));
        assertThat(talk.contactState(a2, bob)).isEqualTo("accepted");
        assertThat(contactField(a2, bob, "name")).isEqualTo("robert");
    }

    /** A field of the contact {@code userId} as {@code node} lists it, or "" if not listed. */
    private String contactField(ParleyNode node, String userId, String name) {
        try {
            for (JsonNode c : nodes.chat.get(node, ApiPaths.CONTACTS).get("contacts")) {
                if (c.get("userId").asText().equals(userId)) {
                    return c.get(name).isNull() ? "" : c.get(name).asText();
                }
            }
            return "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }


    /**
     * The message ids of {@code node}'s own {@code chat.sent} and {@code chat.received} changes,
     * one per change, whether an entry of its own or a part of a {@code chat.changes} entry.
     */
    private List<String> journaledMessages(ParleyNode node) throws Exception {
        Journal journal = nodes.journal(node);
        List<String> ids = new ArrayList<>();
        for (JournalEntry entry : journal.store().after(journal.device(), 0, 10_000)) {
            for (ChatEntryParts.Part part : ChatEntryParts.of(journal, entry)) {
                if (part.kind().equals("chat.sent") || part.kind().equals("chat.received")) {
                    ids.add(JSON.readTree(part.payload()).get("id").asText());
                }
            }
        }
        return ids;
    }

    private List<JsonNode> history(ParleyNode node, String contact) {
        try {
            List<JsonNode> out = new ArrayList<>();
            nodes.chat.post(node, ApiPaths.HISTORY, "contact", contact, "limit", 100).get("messages")
                    .forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Optional<JsonNode> message(ParleyNode node, String text) {
        return history(node, "bob").stream().filter(m -> m.get("text").asText().equals(text)).findFirst();
    }

    /** A field of Alice's message {@code text} with Bob on {@code node}, or "" if that message is not there. */
    private String field(ParleyNode node, String text, String name) {
        return message(node, text).map(m -> m.get(name).asText()).orElse("");
    }
}
