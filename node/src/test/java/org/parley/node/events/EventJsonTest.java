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
}
