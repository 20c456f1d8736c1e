package org.parley.node.api;

import io.javalin.Javalin;

/**
 * A group of API endpoints (the node's, the DHT's, later chat and files) that adds itself to the
 * server. Handlers run on virtual threads, one per request, and may block.
 */
@FunctionalInterface
public interface ApiRoutes {

    void addTo(Javalin app);
}
