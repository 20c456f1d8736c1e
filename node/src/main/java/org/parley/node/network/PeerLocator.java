package org.parley.node.network;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * Finds the addresses of a peer the node knows nothing about (the DHT's find-peer), so that
 * {@code ping <PeerId>} reaches any peer on the network. Implementations may block for a lookup;
 * thread safe.
 */
@FunctionalInterface
public interface PeerLocator {

    /** The peer's addresses, or an empty list if it was not found. */
    List<Multiaddr> locate(PeerId peer);

    /** A locator that never finds anyone, for a node without DHT. */
    PeerLocator NONE = peer -> List.of();
}
