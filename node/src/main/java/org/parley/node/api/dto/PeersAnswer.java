package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/peers}: the connected peers, sorted by PeerId, what the connection manager did,
 * and whether WebRTC is available. Immutable; serialized by Jackson, field names are the API's
 * contract.
 */
public record PeersAnswer(List<PeerAnswer> peers, ConnectionsAnswer connections, WebRtcAnswer webrtc) {}
