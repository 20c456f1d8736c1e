package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Whole nodes on loopback: Alice (two devices) and Bob share a group. The link gives Alice's new
 * device the group (its chain, replayed there); the group's messages from before the link, the
 * ones sent and received on device 1 after it, and the ones exchanged while device 2 was off all
 * show on device 2 through the history journal, each once, in the order device 1 shows them.
 */
class GroupDeviceSyncTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLinkedDeviceGetsTheGroupAndEveryGroupMessageOfDeviceOne() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        JsonNode created = nodes.chat.post(a1, ApiPaths.GROUPS, "name", "team", "members", List.of("bob"));
        String group = created.get("groupId").asText();
        ChatNodes.await("Bob is invited", () -> groupIds(b).contains(group));
        nodes.chat.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", group);
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", group, "text", "before the link, from Alice");
        ChatNodes.await("Bob has Alice's first message",
                () -> nodes.chat.texts(b, group).contains("before the link, from Alice"));
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", group, "text", "before the link, from Bob");
        ChatNodes.await("device 1 has Bob's first message",
                () -> nodes.chat.texts(a1, group).contains("before the link, from Bob"));

        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));

        // The grant carried the group: device 2 lists it with device 1's name, members and epoch.
        JsonNode onA1 = groupOf(a1, group);
        JsonNode onA2 = groupOf(a2, group);
        assertThat(onA2).as("device 2 lists the group right after the link").isNotNull();
        assertThat(onA2.get("name").asText()).isEqualTo("team");
        assertThat(onA2.get("epoch").asInt()).isEqualTo(onA1.get("epoch").asInt());
        assertThat(onA2.get("members")).isEqualTo(onA1.get("members"));
        ChatNodes.await("device 2 has the group's messages from before the link",
                () -> nodes.chat.texts(a2, group)
                        .containsAll(List.of("before the link, from Alice", "before the link, from Bob")));

        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", group, "text", "after the link, from Alice");
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", group, "text", "after the link, from Bob");
        ChatNodes.await("device 1 has Bob's later message",
                () -> nodes.chat.texts(a1, group).contains("after the link, from Bob"));
        ChatNodes.await("device 2 has both later messages", () -> nodes.chat.texts(a2, group).containsAll(
                List.of("after the link, from Alice", "after the link, from Bob")));

        nodes.stop(a2);
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", group, "text", "while device 2 is off, from Alice");
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", group, "text", "while device 2 is off, from Bob");
        ChatNodes.await("device 1 has Bob's message of the gap",
                () -> nodes.chat.texts(a1, group).contains("while device 2 is off, from Bob"));
        ParleyNode back = nodes.start(root.resolve("a2"));
        ChatNodes.await("device 2 catches up on the gap", () -> nodes.chat.texts(back, group).containsAll(
                List.of("while device 2 is off, from Alice", "while device 2 is off, from Bob")));

        ChatNodes.await("both devices show the same six messages",
                () -> ids(a1, group).equals(ids(back, group)) && ids(a1, group).size() == 6);
        assertThat(nodes.chat.texts(back, group)).containsExactlyElementsOf(nodes.chat.texts(a1, group));
        assertThat(new HashSet<>(ids(back, group))).hasSize(6);
        assertThat(directions(back, group)).containsExactlyElementsOf(directions(a1, group));
    }

    private List<String> groupIds(ParleyNode node) {
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode g : nodes.chat.get(node, ApiPaths.GROUPS).get("groups")) {
                out.add(g.get("groupId").asText());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private JsonNode groupOf(ParleyNode node, String group) throws Exception {
        for (JsonNode g : nodes.chat.get(node, ApiPaths.GROUPS).get("groups")) {
            if (g.get("groupId").asText().equals(group)) {
                return g;
            }
        }
        return null;
    }

    private List<JsonNode> history(ParleyNode node, String group) {
        try {
            List<JsonNode> out = new ArrayList<>();
            nodes.chat.post(node, ApiPaths.HISTORY, "contact", group, "limit", 100).get("messages").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> ids(ParleyNode node, String group) {
        return history(node, group).stream().map(m -> m.get("messageId").asText()).toList();
    }

    private List<String> directions(ParleyNode node, String group) {
        return history(node, group).stream().map(m -> m.get("direction").asText()).toList();
    }
}
