package org.parley.node.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The JSON form of a {@link NodeEvent}, as the {@code /api/events} WebSocket sends it: an object
 * whose {@code type} names the kind, and the kind's fields, e.g.
 * {@code {"type":"peer.connected","peerId":"12D3KooW...","address":"/ip4/...","direction":"inbound"}}.
 * Stateless.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {}

    public static ObjectNode toTree(NodeEvent event) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", event.type());
        switch (event) {
            case NodeEvent.PeerConnected e -> json.put("peerId", e.peer().toBase58())
                    .put("address", e.address().toString())
                    .put("direction", e.inbound() ? "inbound" : "outbound");
            case NodeEvent.PeerDisconnected e -> json.put("peerId", e.peer().toBase58())
                    .put("address", e.address().toString())
                    .put("lastConnection", e.lastConnection());
            case NodeEvent.PeerIdentified e -> json.put("peerId", e.peer().toBase58());
            case NodeEvent.DhtModeChanged e -> json.put("mode", e.mode().name().toLowerCase(Locale.ROOT))
                    .put("previous", e.previous().name().toLowerCase(Locale.ROOT));
            case NodeEvent.TransferProgress e -> {
                json.put("fileId", e.fileId())
                        .put("bytesDone", e.bytesDone())
                        .put("bytesTotal", e.bytesTotal())
                        .put("bytesPerSecond", e.bytesPerSecond())
                        .put("peers", e.peers())
                        .put("piecesDone", e.piecesDone())
                        .put("piecesTotal", e.piecesTotal());
                if (e.etaSeconds() == null) {
                    json.putNull("etaSeconds");
                } else {
                    json.put("etaSeconds", e.etaSeconds().longValue());
                }
            }
            case NodeEvent.TransferState e -> {
                json.put("fileId", e.fileId()).put("kind", e.kind()).put("name", e.name()).put("state", e.state());
                if (e.error() != null) {
                    json.put("error", e.error());
                }
            }
            case NodeEvent.SyncState e -> {
                json.put("peerId", e.device().toBase58()).put("state", e.state()).put("behindBy", e.behindBy());
                if (e.lastSyncMillis() == null) {
                    json.putNull("lastSyncMillis");
                } else {
                    json.put("lastSyncMillis", e.lastSyncMillis().longValue());
                }
                if (e.error() != null) {
                    json.put("error", e.error());
                }
            }
            case NodeEvent.EventsDropped e -> json.put("count", e.count());
            case NodeEvent.ChatMessage e -> json.put("identity", e.identity()).put("contact", e.contact())
                    .put("messageId", e.messageId()).put("direction", e.outgoing() ? "outgoing" : "incoming")
                    .put("hlcMillis", e.hlcMillis()).put("hlcCounter", e.hlcCounter()).put("text", e.text());
            case NodeEvent.ChatState e -> json.put("identity", e.identity()).put("contact", e.contact())
                    .put("messageId", e.messageId()).put("state", e.state()).put("reason", e.reason());
            case NodeEvent.ContactRequest e -> json.put("identity", e.identity()).put("contact", e.contact())
                    .put("displayName", e.displayName()).put("intro", e.intro());
            case NodeEvent.ContactKeyChanged e -> json.put("identity", e.identity()).put("contact", e.contact());
            case NodeEvent.ContactState e -> json.put("identity", e.identity()).put("contact", e.contact())
                    .put("state", e.state());
            case NodeEvent.DeviceAdded e -> json.put("identity", e.identity()).put("peer", e.peer())
                    .put("number", e.number());
            case NodeEvent.DeviceRevoked e -> json.put("identity", e.identity()).put("peer", e.peer())
                    .put("number", e.number());
            case NodeEvent.GroupChanged e -> json.put("identity", e.identity()).put("group", e.group())
                    .put("name", e.name()).put("epoch", e.epoch()).put("members", e.members())
                    .put("membership", e.membership());
            case NodeEvent.GroupDelivered e -> json.put("identity", e.identity()).put("group", e.group())
                    .put("messageId", e.messageId()).put("member", e.member());
            case NodeEvent.GroupMessage e -> json.put("identity", e.identity()).put("group", e.group())
                    .put("sender", e.sender()).put("messageId", e.messageId())
                    .put("direction", e.outgoing() ? "outgoing" : "incoming").put("hlcMillis", e.hlcMillis())
                    .put("hlcCounter", e.hlcCounter()).put("text", e.text());
        }
        return json;
    }

    public static String toJson(NodeEvent event) {
        return toTree(event).toString();
    }
}
