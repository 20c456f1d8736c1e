package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Group fan-out to a member's devices: Alice has two linked devices, and Bob puts Alice in a
 * group. Bob's group deliveries go to every device on Alice's signed list, so both devices get
 * the invitation, Bob's sender key and his messages; a message from Alice's second device reaches
 * Bob, who keeps one delivered receipt for Alice whichever of her devices sent it; and what
 * either of Alice's devices sends, the other shows as Alice's own (a sibling copy).
 */
@Tag("slow")
class GroupDevicesTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void bothDevicesOfAMemberGetTheGroupAndEitherCanSend() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        assertThat(nodes.devices(a1).get("devices")).hasSize(2);

        String group = nodes.chat.post(b, ApiPaths.GROUPS, "name", "pair", "members", List.of("alice"))
                .get("groupId").asText();
        for (ParleyNode device : List.of(a1, a2)) {
            ChatNodes.await("the invitation reaches each of Alice's devices",
                    () -> nodes.chat.invitations(device).contains(group));
            nodes.chat.post(device, ApiPaths.CONTACTS_ACCEPT, "contact", group);
        }

        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", group, "text", "to both devices");
        ChatNodes.await("device 1 reads Bob", () -> nodes.chat.texts(a1, group).contains("to both devices"));
        ChatNodes.await("device 2 reads Bob", () -> nodes.chat.texts(a2, group).contains("to both devices"));

        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", group, "text", "from the laptop");
        ChatNodes.await("Bob reads device 2", () -> nodes.chat.texts(b, group).contains("from the laptop"));
        assertThat(nodes.chat.texts(b, group)).containsExactly("to both devices", "from the laptop");

        // Device 2's own message reaches device 1 as a sibling copy: shown once, as Alice's.
        ChatNodes.await("device 1 shows device 2's message",
                () -> nodes.chat.texts(a1, group).contains("from the laptop"));
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", group, "text", "from the phone");
        ChatNodes.await("device 2 shows device 1's message",
                () -> nodes.chat.texts(a2, group).contains("from the phone"));
        ChatNodes.await("Bob reads device 1", () -> nodes.chat.texts(b, group).contains("from the phone"));
        for (ParleyNode node : List.of(a1, a2, b)) {
            assertThat(nodes.chat.texts(node, group))
                    .containsExactly("to both devices", "from the laptop", "from the phone");
        }
        assertThat(directions(a1, group)).containsExactly("incoming", "outgoing", "outgoing");

        ChatNodes.await("Bob has Alice's receipt", () -> deliveredTo(b, group, "to both devices").size() == 1);
        assertThat(deliveredTo(b, group, "to both devices")).containsExactly(ChatNodes.userId(a1));
    }

    private JsonNode messages(ParleyNode node, String group) throws Exception {
        return nodes.chat.post(node, ApiPaths.HISTORY, "contact", group, "limit", 100).get("messages");
    }

    private List<String> directions(ParleyNode node, String group) {
        try {
            List<String> out = new ArrayList<>();
            messages(node, group).forEach(m -> out.add(m.get("direction").asText()));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> deliveredTo(ParleyNode node, String group, String text) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode m : messages(node, group)) {
                if (m.get("text").asText().equals(text) && m.has("deliveredTo")) {
                    m.get("deliveredTo").forEach(u -> out.add(u.asText()));
                }
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
