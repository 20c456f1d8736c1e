package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Whole nodes on loopback: Alice's devices share one chat history through the sync journal. A
 * device linked after a conversation gets the past of it; what device 1 sends and receives shows
 * on device 2, once each; a device revoked afterwards has its new entries refused.
 */
class DeviceHistorySyncTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dirA1;

    @TempDir
    Path dirA2;

    @TempDir
    Path dirB;

    private final DeviceNodes nodes = new DeviceNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLinkedDeviceGetsThePastConversationAndThenEverythingDeviceOneKeeps() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        ParleyNode b = nodes.start(dirB);
        befriend(a1, b);
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "before the link, from Bob");
        ChatNodes.await("device 1 has Bob's message", () -> lines(a1).contains("incoming:before the link, from Bob"));
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "before the link, from Alice");

        ParleyNode a2 = nodes.start(dirA2, Optional.of(nodes.linkCode(a1)), InstantSource.system());

        ChatNodes.await("device 2 has the conversation from before the link", () -> lines(a2).containsAll(
                List.of("incoming:before the link, from Bob", "outgoing:before the link, from Alice")));

        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "after the link, from Alice");
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "after the link, from Bob");
        ChatNodes.await("device 2 has both later messages", () -> lines(a2).containsAll(
                List.of("outgoing:after the link, from Alice", "incoming:after the link, from Bob")));
        ChatNodes.await("both devices show the same history", () -> ids(a1).equals(ids(a2)) && ids(a1).size() == 4);
        assertThat(lines(a2)).containsExactlyElementsOf(lines(a1));
        assertThat(new HashSet<>(ids(a2))).hasSize(4);

        ChatNodes.await("device 2 lists device 1 as in sync", () -> syncOf(a2, a1).startsWith("in sync"));
        ChatNodes.await("device 1 lists device 2 as in sync", () -> syncOf(a1, a2).startsWith("in sync"));
    }

    @Test
    void aRevokedDevicesLaterEntriesAreRefused() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        ParleyNode b = nodes.start(dirB);
        befriend(a1, b);
        ParleyNode a2 = nodes.start(dirA2, Optional.of(nodes.linkCode(a1)), InstantSource.system());
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from the laptop");
        ChatNodes.await("device 1 holds device 2's entry", () -> entriesOf(a1, a2.host().peerId()) > 0);
        ChatNodes.await("device 1 shows the laptop's message", () -> lines(a1).contains("outgoing:from the laptop"));
        long held = entriesOf(a1, a2.host().peerId());

        nodes.chat.post(a1, ApiPaths.DEVICES_REVOKE, "device", "2");
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from a revoked laptop");
        ChatNodes.await("device 2 journaled its message", () -> entriesOf(a2, a2.host().peerId()) > held);
        nodes.chat.post(a2, ApiPaths.SYNC_RUN);

        assertThat(entriesOf(a1, a2.host().peerId())).isEqualTo(held);
        assertThat(lines(a1)).contains("outgoing:from the laptop").doesNotContain("outgoing:from a revoked laptop");
    }

    /** A names B "bob", B names A "alice"; both accepted. */
    void befriend(ParleyNode a, ParleyNode b) throws Exception {
        nodes.chat.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "intro", "hi, it is Alice", "name", "bob");
        ChatNodes.await("B sees A's request", () -> contactState(b, ChatNodes.userId(a)).equals("pending"));
        nodes.chat.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
        nodes.chat.post(b, ApiPaths.CONTACTS, "contact", ChatNodes.userId(a), "name", "alice");
        ChatNodes.await("A sees B accept", () -> contactState(a, ChatNodes.userId(b)).equals("accepted"));
    }

    /** The journal entries {@code node} holds of {@code device}. */
    static long entriesOf(ParleyNode node, PeerId device) {
        try {
            return node.storage().database().read(c -> {
                try (var select = c.prepareStatement("SELECT count(*) FROM journal_entries WHERE device = ?")) {
                    select.setBytes(1, device.bytes());
                    try (var rows = select.executeQuery()) {
                        rows.next();
                        return rows.getLong(1);
                    }
                }
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code sync} field {@code node}'s device list shows for {@code other}, or "" if none. */
    String syncOf(ParleyNode node, ParleyNode other) {
        try {
            for (JsonNode d : nodes.devices(node).get("devices")) {
                if (d.get("peerId").asText().equals(other.host().peerId().toBase58())) {
                    return d.get("sync").isNull() ? "" : d.get("sync").asText();
                }
            }
            return "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String contactState(ParleyNode node, String userId) {
        try {
            JsonNode all = nodes.chat.get(node, ApiPaths.CONTACTS).get("contacts");
            JsonNode pending = nodes.chat.get(node, ApiPaths.REQUESTS).get("contacts");
            for (JsonNode list : List.of(all, pending)) {
                for (JsonNode c : list) {
                    if (c.get("userId").asText().equals(userId)) {
                        return c.get("state").asText();
                    }
                }
            }
            return "none";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Alice's history with Bob on {@code node}, oldest first, as "direction:text". */
    List<String> lines(ParleyNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : history(node)) {
            out.add(m.get("direction").asText() + ":" + m.get("text").asText());
        }
        return out;
    }

    /** The message ids of Alice's history with Bob on {@code node}, oldest first. */
    List<String> ids(ParleyNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : history(node)) {
            out.add(m.get("messageId").asText());
        }
        return out;
    }

    private JsonNode history(ParleyNode node) {
        try {
            return nodes.chat.post(node, ApiPaths.HISTORY, "contact", "bob", "limit", 2000).get("messages");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
