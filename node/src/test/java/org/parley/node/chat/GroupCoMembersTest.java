package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.identity.LocalIdentities;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/**
 * Group membership is consent for group traffic only. Three whole nodes on loopback (finding each
 * other through a fourth's DHT): A is a contact of B and of C, who are no contacts of each other.
 * A puts both in a group; B and C then read each other's messages (each started a pairwise
 * session with the other for the group's sake), and stay strangers as contacts. A stranger who
 * knows the group's id and current epoch has its sender key and its message refused by C, and C
 * keeps nothing of it. Each member's delivered receipt reaches a message's author, contact or not. A relayed message that outran its author's sender key waits for it across
 * a restart.
 */
@Tag("slow")
class GroupCoMembersTest {

    @TempDir
    Path root;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void membersWhoAreNotContactsReadEachOtherAndAStrangerIsStillRefused() throws Exception {
        Trio trio = startTrio();
        ParleyNode a = trio.a();
        ParleyNode b = trio.b();
        ParleyNode c = trio.c();
        String group = trio.group();


        nodes.post(b, ApiPaths.MESSAGES, "contact", group, "text", "from b");
        ChatNodes.await("C reads B, who is no contact of C", () -> nodes.texts(c, group).contains("from b"));
        nodes.post(c, ApiPaths.MESSAGES, "contact", group, "text", "from c");
        ChatNodes.await("B reads C, who is no contact of B", () -> nodes.texts(b, group).contains("from c"));
        ChatNodes.await("A reads both", () -> nodes.texts(a, group).containsAll(List.of("from b", "from c")));
        assertThat(nodes.texts(b, group)).containsExactly("from b", "from c");
        assertThat(nodes.texts(c, group)).containsExactly("from b", "from c");

        // Delivered receipts come back from both members, the one who is no contact of B included.
        ChatNodes.await("B sees both members hold its message", () -> deliveredTo(b, group, "from b").size() == 2);
        assertThat(deliveredTo(b, group, "from b")).containsExactlyInAnyOrder(ChatNodes.userId(a), ChatNodes.userId(c));
        ChatNodes.await("C sees both members hold its message", () -> deliveredTo(c, group, "from c").size() == 2);
        assertThat(deliveredTo(c, group, "from b")).as("not C's own message").isEmpty();

        // Group traffic made no contact and no request: B and C are still strangers to each other.
        assertThat(nodes.contactState(b, ChatNodes.userId(c))).isEmpty();
        assertThat(nodes.contactState(c, ChatNodes.userId(b))).isEmpty();
        // C holds B's sender key for the epoch, taken over their own pairwise session.
        UUID epoch = distributionId(a, group);
        assertThat(senderKey(c, UserId.parse(ChatNodes.userId(b)), epoch)).isTrue();

        UserId cId = UserId.parse(ChatNodes.userId(c));
        ConversationId groupId = new ConversationId(HexFormat.of().parseHex(group));
        try (Stranger mallory = new Stranger()) {
            mallory.startSession(c, cId);
            ChatContent.GroupMessage key = new ChatContent.GroupMessage(groupId, mallory.id, 1,
                    ChatContent.GroupPayloadKind.SENDER_KEY, mallory.sessions.senderKeys().distribution(epoch));
            assertThat(mallory.send(c, cId, key).received()).as("a stranger's sender key").isFalse();
            byte[] ciphertext = mallory.sessions.senderKeys().encrypt(epoch, new ChatEnvelope(MessageId.next(),
                    new HlcTimestamp(System.currentTimeMillis(), 0), groupId, new ChatContent.Text("from mallory")));
            ChatContent.GroupMessage text = new ChatContent.GroupMessage(groupId, mallory.id, 1,
                    ChatContent.GroupPayloadKind.CIPHERTEXT, ciphertext);
            assertThat(mallory.send(c, cId, text).received()).as("a stranger's group message").isFalse();
            // A group of the stranger's own, never shared with C: no invitation appears.
            ConversationId own = ConversationId.random();
            assertThat(mallory.send(c, cId, new ChatContent.GroupOps(own, List.of(new byte[] {1, 2, 3})))
                    .received()).as("a stranger's group operations").isFalse();
            assertThat(senderKey(c, mallory.id, epoch)).isFalse();
        }
        // B's next message, sent after the stranger's, arrives: the stranger's would have too.
        nodes.post(b, ApiPaths.MESSAGES, "contact", group, "text", "still here");
        ChatNodes.await("C reads B's next message", () -> nodes.texts(c, group).contains("still here"));
        assertThat(nodes.texts(c, group)).containsExactly("from b", "from c", "still here");
        assertThat(nodes.invitations(c)).isEmpty();
        assertThat(nodes.get(c, ApiPaths.GROUPS).get("groups")).hasSize(1);
        assertThat(nodes.get(c, ApiPaths.REQUESTS).get("contacts")).isEmpty();
    }

    /**
     * A group message that arrives before its author's sender key waits, and waits on across a
     * restart: C is away while B (no contact of C) sends for the first time; A relays B's
     * ciphertext to C, while B's own copy of it to C is taken out of B's outbox and B goes down
     * with only its sender key for C still queued. C comes back, takes the relayed copy (it waits
     * for the key), restarts, and shows the message once B is back and its key arrives.
     */
    @Test
    void aMessageWaitingForItsSenderKeyOutlivesARestart() throws Exception {
        Trio trio = startTrio();
        ParleyNode a = trio.a();
        ParleyNode b = trio.b();
        ParleyNode c = trio.c();
        String group = trio.group();
        UserId cId = UserId.parse(ChatNodes.userId(c));
        int portB = ChatNodes.port(b);
        int portC = ChatNodes.port(c);
        nodes.stop(c);

        nodes.post(b, ApiPaths.MESSAGES, "contact", group, "text", "while c was away");
        ChatNodes.await("A has B's message", () -> nodes.texts(a, group).contains("while c was away"));
        MessageStore outboxB = new MessageStore(b.storage().database(), b.storage().cipher());
        int keys = 0;
        long identityB = new LocalIdentities(b.storage().database(), b.storage().cipher()).all().getFirst().rowId();
        for (OutboxEntry e : outboxB.queuedAfter(identityB, cId, 0, 1_000)) {
            if (e.contact().equals(cId) && e.envelope().content() instanceof ChatContent.GroupMessage m) {
                if (m.kind() == ChatContent.GroupPayloadKind.CIPHERTEXT) {
                    outboxB.remove(e.rowId());
                } else {
                    keys++;
                }
            }
        }
        assertThat(keys).as("B's sender key for C waits in B's outbox").isEqualTo(1);
        nodes.stop(b);

        ParleyNode cBack = nodes.start(root.resolve("c"), portC);
        ChatNodes.await("A's relayed copy reaches C and waits for B's key", () -> waiting(cBack) == 1);
        assertThat(nodes.texts(cBack, group)).isEmpty();
        nodes.stop(cBack);

        ParleyNode cAgain = nodes.start(root.resolve("c"), portC);
        assertThat(waiting(cAgain)).isEqualTo(1);
        assertThat(nodes.texts(cAgain, group)).isEmpty();
        nodes.start(root.resolve("b"), portB);
        ChatNodes.await("B's key arrives and the waiting message shows", () -> nodes.texts(cAgain, group)
                .contains("while c was away"));
        assertThat(nodes.texts(cAgain, group)).containsExactly("while c was away");
        ChatNodes.await("nothing waits any more", () -> waiting(cAgain) == 0);
    }

    /** The members that told {@code node} they hold its group message {@code text}; empty for one not its own. */
    private List<String> deliveredTo(ParleyNode node, String group, String text) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode m : nodes.post(node, ApiPaths.HISTORY, "contact", group, "limit", 100).get("messages")) {
                if (m.get("text").asText().equals(text) && m.has("deliveredTo")) {
                    m.get("deliveredTo").forEach(u -> out.add(u.asText()));
                }
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** How many group messages wait for their sender key in {@code node}'s store. */
    private static int waiting(ParleyNode node) {
        try {
            LocalIdentities identities = new LocalIdentities(node.storage().database(), node.storage().cipher());
            return new GroupStore(node.storage().database(), node.storage().cipher())
                    .waiting(identities.all().getFirst().rowId()).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The current epoch's distribution id, from the admin's stored chain head. */
    private static UUID distributionId(ParleyNode admin, String group) throws Exception {
        LocalIdentities identities = new LocalIdentities(admin.storage().database(), admin.storage().cipher());
        List<byte[]> chain = new GroupStore(admin.storage().database(), admin.storage().cipher())
                .chains(identities.all().getFirst().rowId()).get(new ConversationId(HexFormat.of().parseHex(group)));
        ByteBuffer head = ByteBuffer.wrap(org.parley.chat.group.GroupOpCodec.decode(chain.getLast()).hash());
        return new UUID(head.getLong(), head.getLong());
    }

    /** Whether {@code holder}'s stores keep a sender key of {@code owner} (device 1) for {@code epoch}. */
    private static boolean senderKey(ParleyNode holder, UserId owner, UUID epoch) throws Exception {
        LocalIdentities identities = new LocalIdentities(holder.storage().database(), holder.storage().cipher());
        SqliteChatStores stores = SqliteChatStores.open(holder.storage().database(), holder.storage().cipher(),
                identities.all().getFirst());
        return stores.loadSenderKey(new SignalProtocolAddress(owner.text(), 1), epoch) != null;
    }

    @Test
    void aMemberWhoseDeviceDoesNotAnswerDelaysNoOtherMember() throws Exception {
        Trio trio = startTrio();
        ParleyNode a = trio.a();
        String group = trio.group();
        nodes.post(a, ApiPaths.MESSAGES, "contact", group, "text", "to both");
        ChatNodes.await("both members have the first message", () -> nodes.texts(trio.b(), group).contains("to both")
                && nodes.texts(trio.c(), group).contains("to both"));

        // C's node takes A's frame but can neither keep nor ack it while its database is held;
        // A's next message must still reach B before C's ack could time out.
        try (DatabaseHold cHangs = new DatabaseHold(trio.c())) {
            nodes.post(a, ApiPaths.MESSAGES, "contact", group, "text", "while c hangs");
            Thread.sleep(500); // the first goes out to C first (that order is what a blocked outbox would fail on)
            nodes.post(a, ApiPaths.MESSAGES, "contact", group, "text", "and another");
            long deadline = System.nanoTime() + ChatSender.ACK_TIMEOUT.minusSeconds(5).toNanos();
            while (!nodes.texts(trio.b(), group).contains("and another")) {
                assertThat(System.nanoTime()).as("B has the message while C's ack is still awaited")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        ChatNodes.await("C gets both once its node answers", () -> nodes.texts(trio.c(), group).contains("and another"));
        assertThat(nodes.texts(trio.c(), group)).containsExactly("to both", "while c hangs", "and another");
    }

    private record Trio(ParleyNode a, ParleyNode b, ParleyNode c, String group) {}

    /** A, a contact of B and of C (no contacts of each other), puts both in group "trio"; both join. */
    private Trio startTrio() throws Exception {
        nodes.startServer(root.resolve("s"));
        ParleyNode a = nodes.start(root.resolve("a"), 0);
        ParleyNode b = nodes.start(root.resolve("b"), 0);
        ParleyNode c = nodes.start(root.resolve("c"), 0);
        nodes.befriend(a, "a", b, "b");
        nodes.befriend(a, "a", c, "c");
        String group = nodes.post(a, ApiPaths.GROUPS, "name", "trio", "members", List.of("b", "c"))
                .get("groupId").asText();
        for (ParleyNode member : List.of(b, c)) {
            ChatNodes.await("the invitation reaches a member", () -> nodes.invitations(member).contains(group));
            nodes.post(member, ApiPaths.CONTACTS_ACCEPT, "contact", "trio");
        }
        return new Trio(a, b, c, group);
    }
}
