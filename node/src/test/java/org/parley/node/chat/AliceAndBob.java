package org.parley.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * What the device history tests do and read on whole nodes: Alice and Bob befriend each other,
 * Alice's history with Bob as each device shows it, the journal entries a node holds, the sync
 * state the device list shows.
 */
final class AliceAndBob {

    private final DeviceNodes nodes;

    AliceAndBob(DeviceNodes nodes) {
        this.nodes = nodes;
    }

    /** A names B "bob", B names A "alice"; both accepted. */
    void befriend(ParleyNode a, ParleyNode b) throws Exception {
        nodes.chat.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "intro", "hi, it is Alice", "name",
                "bob");
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
