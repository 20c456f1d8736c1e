package org.parley.libp2p.transport.webrtc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCIceCandidate;
import org.parley.libp2p.core.PeerFaultException;

/**
 * An ICE candidate as signaling carries it: the JSON of {@code RTCIceCandidate.toJSON()}
 * ({@code candidate}, {@code sdpMid}, {@code sdpMLineIndex}), and {@code "null"} for the end of
 * candidates, as js-libp2p sends it. Stateless, thread safe.
 */
final class IceCandidateJson {

    /** What a peer sends once it has no more candidates. */
    static final String END_OF_CANDIDATES = "null";

    private static final ObjectMapper JSON = new ObjectMapper();

    private IceCandidateJson() {}

    static String encode(RTCIceCandidate candidate) {
        ObjectNode node = JSON.createObjectNode();
        node.put("candidate", candidate.sdp);
        node.put("sdpMid", candidate.sdpMid);
        node.put("sdpMLineIndex", candidate.sdpMLineIndex);
        return node.toString();
    }

    /**
     * The candidate in {@code json}, or null for the end of candidates (also an empty candidate
     * string, which browsers send for the same).
     *
     * @throws PeerFaultException if it is not such JSON
     */
    static RTCIceCandidate decode(String json) throws PeerFaultException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PeerFaultException("ICE candidate is not JSON");
        }
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode candidate = node.get("candidate");
        if (!node.isObject() || candidate == null || !candidate.isTextual()) {
            throw new PeerFaultException("ICE candidate JSON has no candidate string");
        }
        if (candidate.asText().isEmpty()) {
            return null;
        }
        JsonNode mid = node.get("sdpMid");
        JsonNode index = node.get("sdpMLineIndex");
        return new RTCIceCandidate(mid != null && mid.isTextual() ? mid.asText() : "0",
                index != null && index.canConvertToInt() ? index.asInt() : 0, candidate.asText());
    }
}
