package org.parley.node.dht;

import org.parley.node.api.DhtRoutes;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;

/**
 * The DHT as users reach it: find-peer, provide, providers, get, put and the routing table under
 * {@code /api/dht/}. The DHT itself runs below every feature; this one only serves it.
 */
public final class DhtFeature implements Feature {

    @Override
    public String name() {
        return "dht";
    }

    @Override
    public FeatureParts start(FeatureContext context) {
        return FeatureParts.routes(new DhtRoutes(context.dht()));
    }
}
