package org.parley.node.api.dto;

/**
 * {@code POST /api/connect}: whom the node reached, and where. Immutable; serialized by Jackson,
 * field names are the API's contract.
 */
public record ConnectAnswer(String peerId, String address) {}
