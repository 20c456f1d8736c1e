package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
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
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.identity.LocalIdentities;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/**
 * Five whole nodes on loopback that find each other through a sixth node's DHT, all contacts of
 * each other: a group is created and its invitations accepted; every member sends and every member
 * shows every message once, in the same order; while one member is offline a new member is added
 * (and reads nothing from before) and another is removed (and reads nothing after: its stores hold
 * no sender key of the new epoch); the offline member comes back at the current epoch and reads
 * what was sent while it was away; forged operations (a non-admin's, a wrong previous hash, a
 * replay) change nothing at any member; the user's mistakes get clear refusals, over the API and
 * the CLI; and no group text is left in the clear in any data dir.
 */
@Tag("slow")
class GroupNodesTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path dirC;

    @TempDir
    Path dirD;

    @TempDir
    Path dirE;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void fiveNodesShareAGroupAcrossMembershipChanges() throws Exception {
        nodes.startServer(dirS);
        List<ParleyNode> all = new ArrayList<>();
        for (Path dir : List.of(dirA, dirB, dirC, dirD, dirE)) {
            all.add(nodes.start(dir, 0));
        }
        String[] names = {"a", "b", "c", "d", "e"};
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                nodes.befriend(all.get(i), names[i], all.get(j), names[j]);
            }
        }
        ParleyNode a = all.get(0);
        ParleyNode b = all.get(1);
        ParleyNode c = all.get(2);
        ParleyNode d = all.get(3);
        ParleyNode e = all.get(4);

        JsonNode created = nodes.post(a, ApiPaths.GROUPS, "name", "team", "members", List.of("b", "c", "d"));
        String group = created.get("groupId").asText();
        assertThat(created.get("admin").asBoolean()).isTrue();
        for (ParleyNode member : List.of(b, c, d)) {
            ChatNodes.await("the invitation reaches a member", () -> nodes.invitations(member).contains(group));
            JsonNode accepted = nodes.post(member, ApiPaths.CONTACTS_ACCEPT, "contact", "team");
            assertThat(accepted.get("state").asText()).isEqualTo("joined");
        }

        List<ParleyNode> members = List.of(a, b, c, d);
        for (int i = 0; i < members.size(); i++) {
            nodes.post(members.get(i), ApiPaths.MESSAGES, "contact", "team", "text", "hello from " + names[i]);
        }
        for (ParleyNode m : members) {
            ChatNodes.await("every member has the four messages", () -> nodes.texts(m, group).size() == 4);
        }
        List<String> order = nodes.texts(a, group);
        assertThat(order).containsExactlyInAnyOrder("hello from a", "hello from b", "hello from c", "hello from d");
        for (ParleyNode m : members) {
            assertThat(nodes.texts(m, group)).isEqualTo(order);
        }

        // D goes offline for two membership changes.
        int portD = ChatNodes.port(d);
        nodes.stop(d);
        nodes.post(a, ApiPaths.GROUPS_ADD, "group", "team", "member", "e");
        ChatNodes.await("E is invited", () -> nodes.invitations(e).contains(group));
        nodes.post(e, ApiPaths.CONTACTS_ACCEPT, "contact", group);
        JsonNode afterRemove = nodes.post(a, ApiPaths.GROUPS_REMOVE, "group", "team", "member", "c");
        assertThat(afterRemove.get("epoch").asInt()).isEqualTo(2);
        ChatNodes.await("B applied both changes", () -> epoch(b, group) == 2);
        nodes.post(b, ApiPaths.MESSAGES, "contact", group, "text", "while d is away");
        ChatNodes.await("E reads the new message", () -> nodes.texts(e, group).contains("while d is away"));
        assertThat(nodes.texts(e, group)).containsExactly("while d is away");
        ChatNodes.await("C learns it was removed", () -> epoch(c, group) == 2);
        assertThat(nodes.texts(c, group)).isEqualTo(order);
        UUID epoch2 = distributionId(group, a);
        assertThat(senderKey(c, b, epoch2)).isFalse();
        // The same check on a member who stayed finds the key: the check can fail.
        assertThat(senderKey(e, b, epoch2)).isTrue();

        ParleyNode back = nodes.start(dirD, portD);
        ChatNodes.await("D catches up", () -> epoch(back, group) == 2
                && nodes.texts(back, group).contains("while d is away"));
        assertThat(nodes.texts(back, group)).containsExactly("hello from a", "hello from b", "hello from c",
                "hello from d", "while d is away").containsExactlyElementsOf(
                        concat(order, "while d is away"));

        // The user's mistakes: a clear message, nothing changed.
        refused(a, ApiPaths.GROUPS_REMOVE, 400, "is not a member of team", "group", "team", "member", "c");
        refused(b, ApiPaths.GROUPS_REMOVE, 400, "only an admin of team can do that", "group", "team", "member", "e");
        refused(a, ApiPaths.GROUPS_LEAVE, 404, "no group is called 'nope'", "group", "nope");
        refused(c, ApiPaths.MESSAGES, 400, "no longer a member of team", "contact", "team", "text", "hi?");

        // Forged operations, queued in B's outbox for every other member: B (not an admin) renaming,
        // an admin's operation on a previous hash that is not the head, and the create replayed.
        // B's next message, behind them in the same queues, shows they were handled: nothing changed.
        byte[] head = org.parley.chat.group.GroupOpCodec.decode(chain(a, group).getLast()).hash();
        org.parley.chat.wire.ConversationId groupId = new org.parley.chat.wire.ConversationId(
                HexFormat.of().parseHex(group));
        org.parley.chat.group.SignedGroupOp byMember = org.parley.chat.group.SignedGroupOp.sign(
                new org.parley.chat.group.GroupOp(groupId, head, UserId.parse(ChatNodes.userId(b)), 1,
                        new org.parley.chat.group.GroupAction.Rename("hijacked")), keyPair(b));
        org.parley.chat.group.SignedGroupOp wrongPrevious = org.parley.chat.group.SignedGroupOp.sign(
                new org.parley.chat.group.GroupOp(groupId, new byte[32], UserId.parse(ChatNodes.userId(a)), 1,
                        new org.parley.chat.group.GroupAction.Rename("elsewhere")), keyPair(a));
        List<byte[]> forged = List.of(byMember.encoded(), wrongPrevious.encoded(), chain(a, group).getFirst());
        MessageStore outboxB = new MessageStore(b.storage().database(), b.storage().cipher());
        long rowB = new LocalIdentities(b.storage().database(), b.storage().cipher()).all().getFirst().rowId();
        for (ParleyNode target : List.of(a, back, e)) {
            outboxB.queue(rowB, UserId.parse(ChatNodes.userId(target)), new org.parley.chat.wire.ChatEnvelope(
                    org.parley.chat.wire.MessageId.next(), new org.parley.chat.wire.HlcTimestamp(1, 0), groupId,
                    new org.parley.chat.wire.ChatContent.GroupOps(groupId, forged)), System.currentTimeMillis());
        }
        nodes.post(b, ApiPaths.MESSAGES, "contact", group, "text", "after the forgeries");
        for (ParleyNode m : List.of(a, back, e)) {
            ChatNodes.await("B's message arrives behind the forgeries", () -> nodes.texts(m, group)
                    .contains("after the forgeries"));
            assertThat(epoch(m, group)).isEqualTo(2);
            assertThat(nodes.get(m, ApiPaths.GROUPS).get("groups").get(0).get("name").asText()).isEqualTo("team");
        }

        // The same through the CLI: exit 1 and the node's message for a mistake; --json prints the API's answer.
        assertThat(cli(dirA, "groups", "remove", "team", "c")).isEqualTo(1);
        assertThat(err.toString()).contains("parley groups remove: c is not a member of team");
        assertThat(cli(dirB, "groups", "add", "team", "c")).isEqualTo(1);
        assertThat(err.toString()).contains("parley groups add: only an admin of team can do that");
        assertThat(cli(dirA, "groups", "rename", "nope", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("parley groups rename: no group is called 'nope'");
        assertThat(cli(dirA, "send", "team", "via the cli")).isZero();
        assertThat(cli(dirA, "groups", "--json")).isZero();
        JsonNode listed = org.parley.node.api.ApiJson.MAPPER.readTree(out.toString());
        assertThat(listed.get("groups").get(0).get("groupId").asText()).isEqualTo(group);
        assertThat(listed.get("groups").get(0).get("name").asText()).isEqualTo("team");
        assertThat(cli(dirA, "history", "team", "--json")).isZero();
        assertThat(out.toString()).contains("via the cli");
        assertThat(cli(dirA, "groups", "promote", "team", "b")).isZero();
        assertThat(out.toString()).contains("team  " + group);

        // No group text reaches disk in the clear, on any member.
        nodes.close();
        for (Path dir : List.of(dirA, dirB, dirC, dirD, dirE)) {
            for (String text : List.of("hello from a", "hello from d", "while d is away", "after the forgeries")) {
                assertNoBytesOf(dir, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static void assertNoBytesOf(Path dir, byte[] needle) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] content = java.nio.file.Files.readAllBytes(file);
                assertThat(indexOf(content, needle))
                        .as(new String(needle, java.nio.charset.StandardCharsets.UTF_8) + " in " + file).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private final java.io.StringWriter out = new java.io.StringWriter();
    private final java.io.StringWriter err = new java.io.StringWriter();

    private int cli(Path dataDir, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        picocli.CommandLine commandLine = org.parley.node.cli.ParleyCommand.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return commandLine.execute(all);
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private void refused(ParleyNode node, String path, int status, String message, Object... fields) throws Exception {
        HttpResponse<String> response = nodes.postRaw(node, path, fields);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(message).doesNotContain("Exception");
    }

    private int epoch(ParleyNode node, String group) {
        try {
            for (JsonNode g : nodes.get(node, ApiPaths.GROUPS).get("groups")) {
                if (g.get("groupId").asText().equals(group)) {
                    return g.get("epoch").asInt();
                }
            }
            return -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> chain(ParleyNode node, String group) throws Exception {
        LocalIdentities identities = new LocalIdentities(node.storage().database(), node.storage().cipher());
        return new GroupStore(node.storage().database(), node.storage().cipher())
                .chains(identities.all().getFirst().rowId())
                .get(new org.parley.chat.wire.ConversationId(HexFormat.of().parseHex(group)));
    }

    private static org.signal.libsignal.protocol.IdentityKeyPair keyPair(ParleyNode node) throws Exception {
        LocalIdentities identities = new LocalIdentities(node.storage().database(), node.storage().cipher());
        return identities.keyPair(identities.all().getFirst().rowId());
    }

    /** The current epoch's distribution id, from the admin's stored chain head. */
    private UUID distributionId(String group, ParleyNode admin) throws Exception {
        LocalIdentities identities = new LocalIdentities(admin.storage().database(), admin.storage().cipher());
        GroupStore store = new GroupStore(admin.storage().database(), admin.storage().cipher());
        List<byte[]> chain = store.chains(identities.all().getFirst().rowId())
                .get(new org.parley.chat.wire.ConversationId(HexFormat.of().parseHex(group)));
        byte[] head = org.parley.chat.group.GroupOpCodec.decode(chain.getLast()).hash();
        ByteBuffer buffer = ByteBuffer.wrap(head);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** Whether {@code holder}'s stores keep a sender key of {@code owner} for the epoch {@code epoch}. */
    private static boolean senderKey(ParleyNode holder, ParleyNode owner, UUID epoch) throws Exception {
        LocalIdentities identities = new LocalIdentities(holder.storage().database(), holder.storage().cipher());
        SqliteChatStores stores = SqliteChatStores.open(holder.storage().database(), holder.storage().cipher(),
                identities.all().getFirst());
        UserId ownerId = UserId.parse(ChatNodes.userId(owner));
        return stores.loadSenderKey(new SignalProtocolAddress(ownerId.text(), 1), epoch) != null;
    }
}
