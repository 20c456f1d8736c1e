package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Two nodes that share no DHT: the invite link's address hints alone bring the request, and the
 * answer goes back over the connection it came on; then a message is delivered.
 */
class ChatInviteTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void anInviteLinksAddressesReachTheContactWithoutADht() throws Exception {
        ParleyNode a = nodes.startAlone(dirA);
        ParleyNode b = nodes.startAlone(dirB);
        String invite = nodes.get(b, ApiPaths.IDENTITIES).get("identities").get(0).get("inviteLink").asText();
        assertThat(invite).contains("&addr=");

        nodes.post(a, ApiPaths.CONTACTS, "contact", invite, "intro", "from your invite", "name", "bob");
        ChatNodes.await("B sees the request", () -> count(b, ApiPaths.REQUESTS) == 1);
        nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
        ChatNodes.await("A sees the acceptance", () -> state(a).equals("accepted"));

        JsonNode sent = nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", "hello over the hint");
        String id = sent.get("messageId").asText();
        ChatNodes.await("the message is delivered", () -> lastState(a).equals("delivered"));
        JsonNode atB = nodes.post(b, ApiPaths.HISTORY, "contact", ChatNodes.userId(a)).get("messages");
        assertThat(atB).hasSize(1);
        assertThat(atB.get(0).get("messageId").asText()).isEqualTo(id);
        assertThat(atB.get(0).get("text").asText()).isEqualTo("hello over the hint");
    }

    private int count(ParleyNode node, String path) {
        try {
            return nodes.get(node, path).get("contacts").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String state(ParleyNode node) {
        try {
            return nodes.get(node, ApiPaths.CONTACTS).get("contacts").get(0).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String lastState(ParleyNode node) {
        try {
            JsonNode messages = nodes.post(node, ApiPaths.HISTORY, "contact", "bob").get("messages");
            return messages.get(messages.size() - 1).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
