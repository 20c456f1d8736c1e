package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.devices.ContactDeviceLists;
import org.parley.node.identity.LocalIdentities;

/**
 * Whole nodes on loopback: Alice links a second device after befriending Bob. Bob's messages
 * reach both of Alice's devices; a message Alice sends from device 2 reaches Bob, and device 1
 * keeps it as a sent copy; once device 2 is revoked, Bob learns the new list and sends to
 * device 1 only.
 */
class DeviceFanoutTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void bothDevicesReceiveSentCopiesReachTheSiblingAndARevokedDeviceIsLeftOut() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        aliceId = ChatNodes.userId(a1);
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        assertThat(a2.userId()).isEqualTo(a1.userId());
        assertThat(talk.contactState(a2, ChatNodes.userId(b))).isEqualTo("accepted");

        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "to both of you");
        ChatNodes.await("device 1 has Bob's message", () -> texts(a1, "bob", "incoming").contains("to both of you"));
        ChatNodes.await("device 2 has Bob's message", () -> texts(a2, "bob", "incoming").contains("to both of you"));

        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from the laptop");
        ChatNodes.await("Bob has device 2's message", () -> texts(b, "alice", "incoming").contains("from the laptop"));
        ChatNodes.await("device 1 has the sent copy", () -> texts(a1, "bob", "outgoing").contains("from the laptop"));
        assertThat(texts(a1, "bob", "incoming")).doesNotContain("from the laptop");

        nodes.chat.post(a1, ApiPaths.DEVICES_REVOKE, "device", a2.host().peerId().toBase58());
        JsonNode devices = nodes.devices(a1);
        assertThat(devices.get("version").asLong()).isEqualTo(3);
        assertThat(devices.get("devices")).hasSize(1);
        ChatNodes.await("Bob has Alice's list without device 2", () -> aliceListVersionAt(b) == 3);

        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "after the revoke");
        ChatNodes.await("device 1 has the message and Bob saw it delivered",
                () -> texts(a1, "bob", "incoming").contains("after the revoke")
                        && (states(b, "alice").contains("delivered:after the revoke")
                                || states(b, "alice").contains("read:after the revoke")));
        assertThat(texts(a2, "bob", "incoming")).contains("to both of you").doesNotContain("after the revoke");

        // What the revoked device still sends, Bob refuses.
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from a revoked laptop");
        ChatNodes.await("device 2's outbox tried and Bob refused it", () -> refusedAsRevoked(a2));
        assertThat(texts(b, "alice", "incoming")).doesNotContain("from a revoked laptop");
    }

    @Test
    void aStoppedDeviceDoesNotHoldUpTheOthers() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "while both are up");
        ChatNodes.await("device 2 has the first message", () -> texts(a2, "bob", "incoming").contains("while both are up"));
        nodes.stop(a2);

        for (int i = 0; i < 5; i++) {
            nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "laptop is off " + i);
        }
        ChatNodes.await("device 1 has all five", () -> texts(a1, "bob", "incoming").containsAll(
                List.of("laptop is off 0", "laptop is off 1", "laptop is off 2", "laptop is off 3", "laptop is off 4")));
        assertThat(texts(a1, "bob", "incoming")).containsExactly("while both are up", "laptop is off 0",
                "laptop is off 1", "laptop is off 2", "laptop is off 3", "laptop is off 4");
    }

    @Test
    void aBurstThatGoesOutInBatchesReachesTheSiblingOnceAndInOrder() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(String.format("burst %02d", i));
        }
        // Bob's node holds its database while device 2 takes the burst: the first texts wait for
        // his ack, so the rest queue up and go out as batches, and so do their sent copies.
        try (DatabaseHold bobHangs = new DatabaseHold(b)) {
            for (String text : burst) {
                nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", text);
            }
        }
        ChatNodes.await("Bob has the burst", () -> texts(b, "alice", "incoming").containsAll(burst));
        ChatNodes.await("device 1 has every sent copy", () -> texts(a1, "bob", "outgoing").containsAll(burst));
        assertThat(texts(a1, "bob", "outgoing")).containsExactlyElementsOf(burst);
        assertThat(texts(b, "alice", "incoming")).containsExactlyElementsOf(burst);
    }

    /** Texts in the burst test: more than one batch (64 texts) holds. */
    private static final int BURST = 90;

    private long aliceListVersionAt(ParleyNode b) {
        try {
            LocalIdentities identities = new LocalIdentities(b.storage().database(), b.storage().cipher());
            long row = identities.all().getFirst().rowId();
            UserId alice = UserId.parse(aliceId);
            return new ContactDeviceLists(b.storage().database()).get(row, alice).map(k -> k.list().list().version())
                    .orElse(0L);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String aliceId;

    /** Whether the node's outbox holds an entry whose last try a contact refused as from a revoked device. */
    private static boolean refusedAsRevoked(ParleyNode node) {
        try {
            return node.storage().database().read(c -> {
                try (var select = c.prepareStatement("SELECT count(*) FROM chat_outbox WHERE last_error LIKE ?")) {
                    select.setString(1, "%a revoked device of this contact%");
                    try (var rows = select.executeQuery()) {
                        return rows.next() && rows.getInt(1) > 0;
                    }
                }
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> texts(ParleyNode node, String contact, String direction) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : history(node, contact)) {
            if (m.get("direction").asText().equals(direction)) {
                out.add(m.get("text").asText());
            }
        }
        return out;
    }

    private List<String> states(ParleyNode node, String contact) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : history(node, contact)) {
            out.add(m.get("state").asText() + ":" + m.get("text").asText());
        }
        return out;
    }

    private JsonNode history(ParleyNode node, String contact) {
        try {
            return nodes.chat.post(node, ApiPaths.HISTORY, "contact", contact, "limit", 1000).get("messages");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
