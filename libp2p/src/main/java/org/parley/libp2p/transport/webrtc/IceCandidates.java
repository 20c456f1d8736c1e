package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.RTCIceCandidate;

/**
 * Which local ICE candidates are signaled to the peer. With {@link WebRtcConfig#loopbackOnly()}
 * only UDP IPv4 host candidates go out, their address replaced by 127.0.0.1 (the socket behind
 * them is bound to the wildcard address, see {@link WebRtcConfig}); otherwise all of them.
 * Stateless.
 */
final class IceCandidates {

    private static final String LOOPBACK = "127.0.0.1";
    // "candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ..."
    private static final int TRANSPORT = 2;
    private static final int ADDRESS = 4;
    private static final int TYPE = 7;

    private IceCandidates() {}

    /** The candidate to signal in place of {@code candidate}, or null to keep it back. */
    static RTCIceCandidate toSignal(RTCIceCandidate candidate, boolean loopbackOnly) {
        if (!loopbackOnly) {
            return candidate;
        }
        String[] fields = candidate.sdp.split(" ");
        if (fields.length <= TYPE || !fields[TRANSPORT].equalsIgnoreCase("udp") || !fields[TYPE].equals("host")
                || !fields[ADDRESS].matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            return null;
        }
        fields[ADDRESS] = LOOPBACK;
        return new RTCIceCandidate(candidate.sdpMid, candidate.sdpMLineIndex, String.join(" ", fields));
    }

    /** True if a remote candidate may be used: with loopback only, just 127.0.0.1 ones. */
    static boolean acceptRemote(RTCIceCandidate candidate, boolean loopbackOnly) {
        if (!loopbackOnly) {
            return true;
        }
        String[] fields = candidate.sdp.split(" ");
        return fields.length > ADDRESS && fields[ADDRESS].equals(LOOPBACK);
    }
}
