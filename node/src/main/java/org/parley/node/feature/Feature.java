package org.parley.node.feature;

import java.io.IOException;

/**
 * One feature of the node (the network, the DHT, finding users; later chat, files, sync): the one
 * place it starts from. It receives what it needs in a {@link FeatureContext} and hands back its
 * protocol handlers, API routes and closeables as {@link FeatureParts}, which the node registers
 * and closes, so that starting the node does not grow with every feature.
 */
public interface Feature {

    /** A short lower-case name for logs, e.g. {@code dht}. */
    String name();

    /**
     * Builds the feature's services on the running host and DHT. Runs once, on the starting
     * thread, after the host listens and before the API serves.
     *
     * @throws IOException with a message saying what to change, if the feature cannot start
     */
    FeatureParts start(FeatureContext context) throws IOException;
}
