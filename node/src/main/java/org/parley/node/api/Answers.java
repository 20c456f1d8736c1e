package org.parley.node.api;

import java.util.List;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.api.dto.DhtPeer;

/** Turns the values services return into the API's answer records, for every route. Stateless. */
final class Answers {

    private Answers() {}

    /** A peer with its addresses as full multiaddrs, {@code .../p2p/<PeerId>}. */
    static DhtPeer dhtPeer(PeerRef peer) {
        return new DhtPeer(peer.id().toBase58(), addresses(peer));
    }

    /** The peer's addresses as full multiaddrs, {@code .../p2p/<PeerId>}. */
    static List<String> addresses(PeerRef peer) {
        return peer.addrs().stream().map(a -> a.withPeerId(peer.id())).map(Multiaddr::toString).toList();
    }
}
