package org.parley.libp2p.transport.webrtc;

import java.util.Objects;

/**
 * One message of {@code /webrtc-signaling/0.0.1}: an SDP offer or answer, or one trickled ICE
 * candidate. Immutable.
 *
 * @param type what {@code data} holds
 * @param data the SDP text, or the candidate's JSON ({@code "null"} ends the candidates)
 */
public record SignalingMessage(Type type, String data) {

    /** The kinds of signaling message; their numbers are the wire values. */
    public enum Type {
        SDP_OFFER,
        SDP_ANSWER,
        ICE_CANDIDATE
    }

    public SignalingMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
