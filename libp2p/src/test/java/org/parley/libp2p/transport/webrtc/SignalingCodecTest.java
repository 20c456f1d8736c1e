package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onvoid.webrtc.RTCIceCandidate;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

/** {@code /webrtc-signaling/0.0.1} messages, candidate JSON and the fingerprint check, with exact errors. */
class SignalingCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void anOfferEncodesItsTypeEvenThoughItIsZero() throws Exception {
        SignalingMessage offer = new SignalingMessage(SignalingMessage.Type.SDP_OFFER, "v=0");

        byte[] bytes = SignalingCodec.encode(offer);

        assertThat(HEX.formatHex(bytes)).isEqualTo("07" + "0800" + "1203" + HEX.formatHex("v=0".getBytes()));
        assertThat(SignalingCodec.read(new ByteArrayInputStream(bytes))).isEqualTo(offer);
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        for (SignalingMessage.Type type : SignalingMessage.Type.values()) {
            SignalingMessage message = new SignalingMessage(type, "data of " + type);
            assertThat(SignalingCodec.read(new ByteArrayInputStream(SignalingCodec.encode(message)))).isEqualTo(message);
        }
        assertThat(SignalingCodec.read(new ByteArrayInputStream(new byte[0]))).isNull();
    }

    @Test
    void malformedMessagesGetExactErrors() {
        assertReadFails("818001", "length-prefixed message of 16385 bytes exceeds the limit of 16384");
        assertReadFails("03120161", "signaling message has no type");
        assertReadFails("04080512" + "00", "signaling message has an unknown type 5");
        assertReadFails("020802", "signaling message of type ICE_CANDIDATE has no data");
        assertThatThrownBy(() -> SignalingCodec.read(new ByteArrayInputStream(HEX.parseHex("050800"))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void candidatesTravelAsJsonAndNullEndsThem() throws Exception {
        RTCIceCandidate candidate = new RTCIceCandidate("0", 0,
                "candidate:1 1 udp 2122194687 127.0.0.1 50000 typ host generation 0");

        RTCIceCandidate back = IceCandidateJson.decode(IceCandidateJson.encode(candidate));

        assertThat(back.sdp).isEqualTo(candidate.sdp);
        assertThat(back.sdpMid).isEqualTo("0");
        assertThat(back.sdpMLineIndex).isZero();
        assertThat(IceCandidateJson.decode("null")).isNull();
        assertThat(IceCandidateJson.decode("{\"candidate\":\"\",\"sdpMid\":\"0\"}")).isNull();
        assertThatThrownBy(() -> IceCandidateJson.decode("{not json")).isInstanceOf(PeerFaultException.class)
                .hasMessage("ICE candidate is not JSON");
        assertThatThrownBy(() -> IceCandidateJson.decode("{\"sdpMid\":\"0\"}")).isInstanceOf(PeerFaultException.class)
                .hasMessage("ICE candidate JSON has no candidate string");
    }

    @Test
    void anSdpWithoutFingerprintIsRefused() throws Exception {
        String withFingerprint = "v=0\r\na=fingerprint:sha-256 AB:CD\r\n";
        assertThat(WebRtcSignaling.requireFingerprint(withFingerprint)).isEqualTo(withFingerprint);
        assertThatThrownBy(() -> WebRtcSignaling.requireFingerprint("v=0\r\na=setup:actpass\r\n"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("the peer's SDP names no DTLS certificate fingerprint");
    }

    @Test
    void loopbackOnlySignalsUdpIpv4HostCandidatesAs127001() {
        RTCIceCandidate host = new RTCIceCandidate("0", 0,
                "candidate:9 1 udp 2113937151 192.0.2.2 39290 typ host generation 0");
        RTCIceCandidate ipv6 = new RTCIceCandidate("0", 0,
                "candidate:9 1 udp 2113937151 fd00::2 39290 typ host generation 0");
        RTCIceCandidate reflexive = new RTCIceCandidate("0", 0,
                "candidate:9 1 udp 1 198.51.100.1 4000 typ srflx raddr 0.0.0.0 rport 0");

        assertThat(IceCandidates.toSignal(host, true).sdp)
                .isEqualTo("candidate:9 1 udp 2113937151 127.0.0.1 39290 typ host generation 0");
        assertThat(IceCandidates.toSignal(ipv6, true)).isNull();
        assertThat(IceCandidates.toSignal(reflexive, true)).isNull();
        assertThat(IceCandidates.toSignal(reflexive, false)).isSameAs(reflexive);
        assertThat(IceCandidates.acceptRemote(host, true)).isFalse();
        assertThat(IceCandidates.acceptRemote(IceCandidates.toSignal(host, true), true)).isTrue();
    }

    private static void assertReadFails(String hex, String message) {
        assertThatThrownBy(() -> SignalingCodec.read(new ByteArrayInputStream(HEX.parseHex(hex))))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage(message);
    }
}
