package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.config.CoverTraffic;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.parley.node.storage.StorageException;

/**
 * Cover traffic over two whole nodes: with it on, A sends B dummy envelopes in their real session
 * at a steady rate (B's session state moves on with each one it decrypts), and B drops them
 * silently: no message row, no event, nothing in A's outbox.
 */
class ChatCoverTrafficTest {

    @TempDir
    Path root;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void dummiesFlowInTheRealSessionAndTheReceiverKeepsAndTellsNothing() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode a = nodes.start(root.resolve("a"), new CoverTraffic(CoverTraffic.MAX_PER_MINUTE));
        ParleyNode b = nodes.start(root.resolve("b"), 0);
        nodes.befriend(a, "alice", b, "bob");
        String id = nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", "a real one").get("messageId").asText();
        ChatNodes.await("the real message is delivered", () -> state(a, id).equals("delivered"));

        List<NodeEvent> seenByB = new CopyOnWriteArrayList<>();
        try (EventSubscription s = b.events().subscribe("test", seenByB::add)) {
            String before = sessions(b);
            // Each dummy B decrypts re-stores its session with A; three changes are three dummies at least.
            for (int i = 0; i < 3; i++) {
                String last = sessions(b);
                ChatNodes.await("a dummy envelope reaches B", () -> !sessions(b).equals(last));
            }
            assertThat(sessions(b)).isNotEqualTo(before);
            assertThat(seenByB).as("B tells of no dummy").filteredOn(e -> e instanceof NodeEvent.ChatMessage
                    || e instanceof NodeEvent.ChatState).isEmpty();
        }
        assertThat(rows(b, "chat_message")).as("B keeps only the real message").isEqualTo(1);
        assertThat(rows(a, "chat_message")).isEqualTo(1);
        assertThat(rows(a, "chat_outbox")).as("dummies are never queued").isZero();
        JsonNode history = nodes.post(b, ApiPaths.HISTORY, "contact", ChatNodes.userId(a)).get("messages");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("text").asText()).isEqualTo("a real one");
    }

    private String state(ParleyNode a, String messageId) {
        try {
            for (JsonNode m : nodes.post(a, ApiPaths.HISTORY, "contact", "bob").get("messages")) {
                if (m.get("messageId").asText().equals(messageId)) {
                    return m.get("state").asText();
                }
            }
            return "none";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored session record of the node, sealed as on disk. */
    private static String sessions(ParleyNode node) {
        try {
            return node.storage().database().read(c -> {
                StringBuilder out = new StringBuilder();
                try (PreparedStatement s = c.prepareStatement("SELECT record FROM chat_session ORDER BY name, device");
                        ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.append(HexFormat.of().formatHex(r.getBytes(1))).append('/');
                    }
                }
                return out.toString();
            });
        } catch (StorageException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int rows(ParleyNode node, String table) throws Exception {
        return node.storage().database().read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + table); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
