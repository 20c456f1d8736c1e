package org.parley.node.api.dto;

/**
 * One connection to a peer in {@code GET /api/peers}: its remote address, its transport
 * ({@code tcp}, {@code relayed} or {@code webrtc}) and whether it is a relay's limited one.
 * Immutable; serialized by Jackson, field names are the API's contract.
 */
public record PeerConnectionAnswer(String address, String transport, boolean limited) {}
