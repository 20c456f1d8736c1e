package org.parley.node.feature;

import java.util.List;
import java.util.Map;
import org.parley.libp2p.host.StreamHandler;
import org.parley.node.api.ApiRoutes;

/**
 * What a started {@link Feature} hands to the node: libp2p protocol handlers to serve (protocol
 * id to handler), API routes to add, and resources to close when the node stops (closed in
 * reverse order). Immutable.
 */
public record FeatureParts(Map<String, StreamHandler> protocols, List<ApiRoutes> routes,
        List<AutoCloseable> closeables) {

    public FeatureParts {
        protocols = Map.copyOf(protocols);
        routes = List.copyOf(routes);
        closeables = List.copyOf(closeables);
    }

    /** A feature that only adds API routes. */
    public static FeatureParts routes(ApiRoutes... routes) {
        return new FeatureParts(Map.of(), List.of(routes), List.of());
    }
}
