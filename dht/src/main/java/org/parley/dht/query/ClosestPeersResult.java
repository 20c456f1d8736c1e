package org.parley.dht.query;

import java.util.List;
import org.parley.dht.routing.PeerRef;

/** The outcome of a closest-peers lookup: up to k peers that answered, closest first. */
public record ClosestPeersResult(List<PeerRef> peers, QueryStats stats) {

    public ClosestPeersResult {
        peers = List.copyOf(peers);
    }
}
