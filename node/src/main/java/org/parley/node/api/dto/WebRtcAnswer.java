package org.parley.node.api.dto;

/**
 * Whether the node can make direct WebRTC connections, in {@code GET /api/peers}; {@code reason}
 * says why not (null when available). Immutable; serialized by Jackson, field names are the API's
 * contract.
 */
public record WebRtcAnswer(boolean available, String reason) {}
