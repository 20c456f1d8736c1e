package org.parley.libp2p.host;

/**
 * Serves one inbound stream of a registered protocol. Called on its own virtual thread, so it may
 * block; the host resets the stream if the handler throws and closes it when the handler returns.
 */
@FunctionalInterface
public interface StreamHandler {

    void handle(Stream stream) throws Exception;
}
