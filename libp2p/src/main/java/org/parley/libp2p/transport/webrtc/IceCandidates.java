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
    private static final int PORT = 5;
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

    /**
     * The local port of a UDP host candidate, the port of a socket of this process; -1 for any other
     * candidate (a server-reflexive or relay candidate names a port elsewhere).
     */
    static int localUdpPort(RTCIceCandidate candidate) {
        String[] fields = candidate.sdp.split(" ");
        if (fields.length <= TYPE || !fields[TRANSPORT].equalsIgnoreCase("udp") || !fields[TYPE].equals("host")) {
            return -1;
        }
        try {
            int port = Integer.parseInt(fields[PORT]);
            return port > 0 && port <= 0xFFFF ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
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
