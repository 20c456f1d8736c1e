package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/bootstrap}, and the answer of {@code add} and {@code remove}: the bootstrap peers
 * the node keeps now, each with its address, {@code config} (from the config file or command line)
 * or {@code added} (through the API), and whether it is connected. Immutable.
 */
public record BootstrapAnswer(List<BootstrapPeerAnswer> peers) {

    /** One bootstrap peer. Immutable. */
    public record BootstrapPeerAnswer(String multiaddr, String source, boolean connected) {}
}
