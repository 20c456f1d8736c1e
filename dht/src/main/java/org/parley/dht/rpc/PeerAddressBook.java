package org.parley.dht.rpc;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * Where the request handler finds the addresses of a FIND_NODE target that is not in the routing
 * table: ourselves, or a peer the node is connected to (a DHT client, say). Thread safe; called
 * on inbound request threads.
 */
@FunctionalInterface
public interface PeerAddressBook {

    /** The peer's addresses as the node knows them first hand; empty if it does not know it. */
    List<Multiaddr> addresses(PeerId peer);
}
