package org.parley.node.network;

import java.time.Duration;
import java.util.List;
import org.parley.libp2p.peer.PeerId;

/** The round trips of one ping run to a peer, in order. Immutable. */
public record PingResult(PeerId peer, List<Duration> roundTrips) {

    public PingResult {
        if (roundTrips.isEmpty()) {
            throw new IllegalArgumentException("a ping result holds at least one round trip");
        }
        roundTrips = List.copyOf(roundTrips);
    }
}
