package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/peers}: the connected peers, sorted by PeerId, and what the connection manager
 * did. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record PeersAnswer(List<PeerAnswer> peers, ConnectionsAnswer connections) {}
