package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.RTCIceCandidate;
import org.junit.jupiter.api.Test;

class IceCandidatesTest {

    private static RTCIceCandidate candidate(String sdp) {
        return new RTCIceCandidate("0", 0, sdp);
    }

    @Test
    void theLocalPortIsThatOfAUdpHostCandidate() {
        assertThat(IceCandidates.localUdpPort(candidate(
                "candidate:2448041257 1 udp 2113937151 192.0.2.2 55659 typ host generation 0 ufrag kv/X"))).isEqualTo(55659);
        assertThat(IceCandidates.localUdpPort(candidate(
                "candidate:2526562713 1 udp 2113942271 fd00::2 58647 typ host generation 0"))).isEqualTo(58647);
    }

    @Test
    void otherCandidatesHaveNoLocalPort() {
        // A server-reflexive candidate names the NAT's port; a TCP one is not a UDP socket.
        assertThat(IceCandidates.localUdpPort(candidate(
                "candidate:1 1 udp 1686052607 203.0.113.9 40000 typ srflx raddr 192.0.2.2 rport 55659"))).isEqualTo(-1);
        assertThat(IceCandidates.localUdpPort(candidate(
                "candidate:3 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active"))).isEqualTo(-1);
        assertThat(IceCandidates.localUdpPort(candidate("candidate:4 1 udp 1 192.0.2.2 notaport typ host"))).isEqualTo(-1);
        assertThat(IceCandidates.localUdpPort(candidate("candidate:5 1 udp"))).isEqualTo(-1);
    }
}
