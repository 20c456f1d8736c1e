package org.parley.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.dht.DhtMode;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

class EventJsonTest {

    private final PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private final Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    @Test
    void peerConnected() {
        assertThat(EventJson.toJson(new NodeEvent.PeerConnected(peer, address, false))).isEqualTo(
                "{\"type\":\"peer.connected\",\"peerId\":\"" + peer.toBase58()
                        + "\",\"address\":\"/ip4/127.0.0.1/tcp/4001\",\"direction\":\"outbound\"}");
    }

    @Test
    void peerDisconnected() {
        assertThat(EventJson.toJson(new NodeEvent.PeerDisconnected(peer, address, true))).isEqualTo(
                "{\"type\":\"peer.disconnected\",\"peerId\":\"" + peer.toBase58()
                        + "\",\"address\":\"/ip4/127.0.0.1/tcp/4001\",\"lastConnection\":true}");
    }

    @Test
    void peerIdentified() {
        assertThat(EventJson.toJson(new NodeEvent.PeerIdentified(peer)))
                .isEqualTo("{\"type\":\"peer.identified\",\"peerId\":\"" + peer.toBase58() + "\"}");
    }

    @Test
    void dhtMode() {
        assertThat(EventJson.toJson(new NodeEvent.DhtModeChanged(DhtMode.CLIENT, DhtMode.SERVER)))
                .isEqualTo("{\"type\":\"dht.mode\",\"mode\":\"server\",\"previous\":\"client\"}");
    }

    @Test
    void eventsDropped() {
        assertThat(EventJson.toJson(new NodeEvent.EventsDropped(17)))
                .isEqualTo("{\"type\":\"events.dropped\",\"count\":17}");
    }

    @Test
    void transferProgress() {
        assertThat(EventJson.toJson(new NodeEvent.TransferProgress("bafk", 1_000, 4_000, 500.0, 6L, 3, 1, 4)))
                .isEqualTo("{\"type\":\"transfer.progress\",\"fileId\":\"bafk\",\"bytesDone\":1000,"
                        + "\"bytesTotal\":4000,\"bytesPerSecond\":500.0,\"peers\":3,\"piecesDone\":1,"
                        + "\"piecesTotal\":4,\"etaSeconds\":6}");
        assertThat(EventJson.toTree(new NodeEvent.TransferProgress("bafk", 0, 4_000, 0, null, 0, 0, 0))
                .get("etaSeconds").isNull()).isTrue();
    }

    @Test
    void transferState() {
        assertThat(EventJson.toJson(new NodeEvent.TransferState("bafk", "download", "a.bin", "failed", "disk full")))
                .isEqualTo("{\"type\":\"transfer.state\",\"fileId\":\"bafk\",\"kind\":\"download\","
                        + "\"name\":\"a.bin\",\"state\":\"failed\",\"error\":\"disk full\"}");
        assertThat(EventJson.toTree(new NodeEvent.TransferState("bafk", "share", "a.bin", "seeding", null))
                .has("error")).isFalse();
    }

    @Test
    void chatEvents() {
        assertThat(EventJson.toJson(new NodeEvent.ChatMessage("parley1me", "parley1you", "00ff", true, 1700000000000L, 2,
                "hi"))).isEqualTo("{\"type\":\"chat.message\",\"identity\":\"parley1me\",\"contact\":\"parley1you\","
                        + "\"messageId\":\"00ff\",\"direction\":\"outgoing\",\"hlcMillis\":1700000000000,"
                        + "\"hlcCounter\":2,\"text\":\"hi\"}");
        assertThat(EventJson.toJson(new NodeEvent.ChatState("parley1me", "parley1you", "00ff", "failed", "blocked")))
                .isEqualTo("{\"type\":\"chat.state\",\"identity\":\"parley1me\",\"contact\":\"parley1you\","
                        + "\"messageId\":\"00ff\",\"state\":\"failed\",\"reason\":\"blocked\"}");
        assertThat(EventJson.toJson(new NodeEvent.ContactRequest("parley1me", "parley1you", "Bo", "hello")))
                .isEqualTo("{\"type\":\"contact.request\",\"identity\":\"parley1me\",\"contact\":\"parley1you\","
                        + "\"displayName\":\"Bo\",\"intro\":\"hello\"}");
        assertThat(EventJson.toJson(new NodeEvent.ContactKeyChanged("parley1me", "parley1you")))
                .isEqualTo("{\"type\":\"contact.key-changed\",\"identity\":\"parley1me\",\"contact\":\"parley1you\"}");
        assertThat(EventJson.toJson(new NodeEvent.ContactState("parley1me", "parley1you", "accepted")))
                .isEqualTo("{\"type\":\"contact.state\",\"identity\":\"parley1me\",\"contact\":\"parley1you\","
                        + "\"state\":\"accepted\"}");
    }

    @Test
    void chatEventsKeepTheirTextOutOfToString() {
        assertThat(new NodeEvent.ChatMessage("a", "b", "00", false, 1, 0, "the secret").toString())
                .doesNotContain("the secret");
        assertThat(new NodeEvent.ContactRequest("a", "b", "", "my intro").toString()).doesNotContain("my intro");
    }
}
