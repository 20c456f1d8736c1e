package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

class NoiseHandshakePayloadTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesVectorBResponderPayload() throws Exception {
        NoiseHandshakePayload payload = NoiseHandshakePayload.fromWire(HEX.parseHex(VectorB.PAYLOAD_R));

        assertThat(payload.identityKey()).isEqualTo(VectorB.RESPONDER_IDENTITY.publicKey().marshal());
        assertThat(payload.identitySig()).hasSize(64);
        assertThat(payload.streamMuxers()).containsExactly("/yamux/1.0.0");
        assertThat(payload.webtransportCerthashes()).isEmpty();
        assertThat(HEX.formatHex(payload.toWire())).isEqualTo(VectorB.PAYLOAD_R);
    }

    @Test
    void omitsTheExtensionsWhenThereAreNone() {
        byte[] wire = new NoiseHandshakePayload(new byte[] {1}, new byte[] {2}, List.of(), List.of()).toWire();
        assertThat(HEX.formatHex(wire)).isEqualTo("0a0101" + "120102");
    }

    @Test
    void roundTripsWebTransportCertificateHashes() throws Exception {
        byte[] hash = HEX.parseHex("1220" + "00".repeat(32));
        NoiseHandshakePayload payload = new NoiseHandshakePayload(new byte[] {1}, new byte[] {2}, List.of(hash), List.of());

        NoiseHandshakePayload decoded = NoiseHandshakePayload.fromWire(payload.toWire());
        assertThat(decoded.webtransportCerthashes()).singleElement().isEqualTo(hash);
        assertThat(decoded.streamMuxers()).isEmpty();
    }

    @Test
    void rejectsAPayloadWithoutIdentityKey() {
        assertThatThrownBy(() -> NoiseHandshakePayload.fromWire(HEX.parseHex("120102")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake payload lacks identity_key");
    }

    @Test
    void rejectsAPayloadWithoutSignature() {
        assertThatThrownBy(() -> NoiseHandshakePayload.fromWire(HEX.parseHex("0a0101")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake payload lacks identity_sig");
    }

    @Test
    void rejectsMalformedProtobuf() {
        assertThatThrownBy(() -> NoiseHandshakePayload.fromWire(HEX.parseHex("0a05")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("malformed Noise handshake payload: ");
    }

    @Test
    void rejectsAPayloadAboveTheLimitBeforeParsing() {
        assertThatThrownBy(() -> NoiseHandshakePayload.fromWire(new byte[8193]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake payload of 8193 bytes exceeds the 8192-byte limit");
    }
}
