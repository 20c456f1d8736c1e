package org.parley.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * What the device tests do and read on whole nodes: Alice and Bob start and befriend each other,
 * Alice's history with Bob as each device shows it, the journal entries a node holds, the sync
 * state the device list shows.
 */
final class AliceAndBob {

    private final DeviceNodes nodes;

    AliceAndBob(DeviceNodes nodes) {
        this.nodes = nodes;
    }

    /** Alice's first device and Bob, as {@link #startBefriended} leaves them. */
    record Friends(ParleyNode a1, ParleyNode b) {}

    /** Starts the DHT server, Alice's device 1 and Bob in {@code root}'s "server", "a1" and "b"; befriends them. */
    Friends startBefriended(Path root) throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode a1 = nodes.start(root.resolve("a1"));
        ParleyNode b = nodes.start(root.resolve("b"));
        befriend(a1, b);
        return new Friends(a1, b);
    }

    /** A names B "bob", B names A "alice"; both accepted. */
    void befriend(ParleyNode a, ParleyNode b) throws Exception {
        nodes.chat.befriend(a, "alice", b, "bob");
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

    /** The contact's state at {@code node}, or "none" if it is neither a contact nor a request there. */
    String contactState(ParleyNode node, String userId) {
        String state = nodes.chat.contactState(node, userId);
        return state.isEmpty() ? "none" : state;
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
