package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code POST /api/dht/find-peer}. Immutable; serialized by Jackson, field names are the API's
 * contract.
 */
public record FindPeerAnswer(String peerId, List<String> addresses) {}
