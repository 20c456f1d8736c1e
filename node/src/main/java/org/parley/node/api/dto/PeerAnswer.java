package org.parley.node.api.dto;

import java.util.List;

/**
 * One connected peer in {@code GET /api/peers}; agentVersion and latencyMs are null until known.
 * {@code transport} names the connection new streams use ({@code tcp}, {@code relayed},
 * {@code webrtc}, ...), and {@code limited} says whether that connection is a relay's limited one.
 * {@code connections} lists every open connection with its transport; {@code webrtcFailure} says,
 * while the peer stays relayed, why the upgrade to a direct WebRTC connection failed (null
 * otherwise). Immutable; serialized by Jackson, field names are the API's contract.
 */
public record PeerAnswer(String peerId, List<String> addresses, String direction, String agentVersion,
        List<String> protocols, Double latencyMs, String transport, boolean limited,
        List<PeerConnectionAnswer> connections, String webrtcFailure) {}
