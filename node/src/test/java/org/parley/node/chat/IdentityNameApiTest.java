package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiJson;
import org.parley.node.api.ApiPaths;

/**
 * {@code POST /api/identities/name} on a whole node: the first start's identity has no display
 * name until it is given one; the name shows in the identity and its invite link, survives a
 * restart, and an empty, ID-like or taken name is a 400 that says what to do and changes nothing.
 */
class IdentityNameApiTest {

    @TempDir
    Path dir;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void theFirstIdentityGetsANameThatShowsInItsInviteAndSurvivesARestart() throws Exception {
        ParleyNode node = nodes.startAlone(dir);
        assertThat(defaultIdentity(node).get("displayName").isNull()).isTrue();

        JsonNode named = nodes.post(node, ApiPaths.IDENTITIES_NAME, "name", "  Alice  ");

        assertThat(named.get("displayName").asText()).isEqualTo("Alice");
        assertThat(named.get("isDefault").asBoolean()).isTrue();
        assertThat(named.get("userId").asText()).isEqualTo(ChatNodes.userId(node));
        assertThat(named.get("inviteLink").asText()).contains("name=Alice");
        assertThat(defaultIdentity(node).get("displayName").asText()).isEqualTo("Alice");

        nodes.stop(node);
        ParleyNode restarted = nodes.startAlone(dir);
        assertThat(defaultIdentity(restarted).get("displayName").asText()).isEqualTo("Alice");
        // Renaming to its own name again is no clash with itself.
        assertThat(nodes.post(restarted, ApiPaths.IDENTITIES_NAME, "name", "Alice").get("displayName").asText())
                .isEqualTo("Alice");
    }

    @Test
    void anEmptyAnIdLikeOrATakenNameIsRefusedAndChangesNothing() throws Exception {
        ParleyNode node = nodes.startAlone(dir);
        nodes.post(node, ApiPaths.IDENTITIES, "name", "Work");

        assertRefused(node, " ", "a display name has 1 to 64 characters; got 0");
        assertRefused(node, "x".repeat(65), "a display name has 1 to 64 characters; got 65");
        assertRefused(node, "parley1abc", "a display name cannot look like a user ID; choose another");
        assertRefused(node, "Work", "an identity named 'Work' exists already; choose another name");
        assertThat(defaultIdentity(node).get("displayName").isNull()).isTrue();
    }

    private void assertRefused(ParleyNode node, String name, String message) throws Exception {
        HttpResponse<String> answer = nodes.postRaw(node, ApiPaths.IDENTITIES_NAME, "name", name);
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode body = ApiJson.MAPPER.readTree(answer.body());
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("message").asText()).isEqualTo(message);
    }

    private JsonNode defaultIdentity(ParleyNode node) throws Exception {
        for (JsonNode identity : nodes.get(node, ApiPaths.IDENTITIES).get("identities")) {
            if (identity.get("isDefault").asBoolean()) {
                return identity;
            }
        }
        throw new AssertionError("no default identity");
    }
}
