package org.parley.dht.query;

import java.util.Optional;
import org.parley.dht.routing.PeerRef;

/** The outcome of a find-peer lookup: the peer with the addresses it was reported at, if found. */
public record FindPeerResult(Optional<PeerRef> peer, QueryStats stats) {}
