package org.parley.node.events;

import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;

/**
 * The live-update feature: serves the node's {@link EventBus} as JSON messages on the
 * {@value EventsWebSocket#PATH} WebSocket. Other features publish to the bus they find in their
 * {@link FeatureContext}.
 */
public final class EventsFeature implements Feature {

    @Override
    public String name() {
        return "events";
    }

    @Override
    public FeatureParts start(FeatureContext context) {
        return FeatureParts.routes(new EventsWebSocket(context.events()));
    }
}
