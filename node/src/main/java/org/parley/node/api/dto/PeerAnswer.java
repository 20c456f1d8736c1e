package org.parley.node.api.dto;

import java.util.List;

/**
 * One connected peer in {@code GET /api/peers}; agentVersion and latencyMs are null until known.
 * Immutable; serialized by Jackson, field names are the API's contract.
 */
public record PeerAnswer(String peerId, List<String> addresses, String direction, String agentVersion,
        List<String> protocols, Double latencyMs) {}
