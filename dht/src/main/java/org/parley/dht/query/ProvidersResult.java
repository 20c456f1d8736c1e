package org.parley.dht.query;

import java.util.List;
import org.parley.dht.routing.PeerRef;

/** The outcome of a provider lookup: every distinct provider found, in the order found. */
public record ProvidersResult(List<PeerRef> providers, QueryStats stats) {

    public ProvidersResult {
        providers = List.copyOf(providers);
    }
}
