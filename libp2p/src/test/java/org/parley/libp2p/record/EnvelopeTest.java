package org.parley.libp2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PrivateKey;

class EnvelopeTest {

    private static final HexFormat HEX = HexFormat.of();
    /** libp2p-wire.md §1 test vector key. */
    static final String PRIVATE_PB = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final byte[] TYPE = {0x03, 0x01};
    private static final byte[] PAYLOAD = "hello".getBytes(StandardCharsets.UTF_8);

    static PrivateKey specKey() throws Exception {
        return Keys.unmarshalPrivate(HEX.parseHex(PRIVATE_PB));
    }

    @Test
    void signedBytesStartWithTheSpecPrefixForPeerRecords() {
        byte[] signed = Envelope.signedBytes("libp2p-peer-record", TYPE, PAYLOAD);
        assertThat(HEX.formatHex(signed))
                .isEqualTo("12" + "6c69627032702d706565722d7265636f7264" + "02" + "0301" + "05" + HEX.formatHex(PAYLOAD));
    }

    @Test
    void encodesFieldsOneTwoThreeAndFive() throws Exception {
        PrivateKey key = specKey();
        byte[] bytes = Envelope.seal(key, "test-domain", TYPE, PAYLOAD).bytes();
        byte[] signature = key.sign(Envelope.signedBytes("test-domain", TYPE, PAYLOAD));
        assertThat(HEX.formatHex(bytes)).isEqualTo("0a24" + HEX.formatHex(key.publicKey().marshal())
                + "12020301" + "1a05" + HEX.formatHex(PAYLOAD) + "2a40" + HEX.formatHex(signature));
    }

    @Test
    void opensWhatItSeals() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        Envelope sealed = Envelope.seal(key, "test-domain", TYPE, PAYLOAD);
        Envelope opened = Envelope.open(sealed.bytes(), "test-domain");
        assertThat(opened.publicKey()).isEqualTo(key.publicKey());
        assertThat(opened.payloadType()).isEqualTo(TYPE);
        assertThat(opened.payload()).isEqualTo(PAYLOAD);
        assertThat(opened.bytes()).isEqualTo(sealed.bytes());
    }

    @Test
    void rejectsAnotherDomain() throws Exception {
        byte[] bytes = Envelope.seal(Ed25519PrivateKey.generate(), "test-domain", TYPE, PAYLOAD).bytes();
        assertThatThrownBy(() -> Envelope.open(bytes, "other-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("envelope signature does not verify for domain 'other-domain'");
    }

    @Test
    void rejectsATamperedPayload() throws Exception {
        byte[] bytes = Envelope.seal(specKey(), "test-domain", TYPE, PAYLOAD).bytes();
        bytes[2 + 36 + 4 + 2] ^= 1; // first payload byte, after the key and type fields
        assertThatThrownBy(() -> Envelope.open(bytes, "test-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("envelope signature does not verify for domain 'test-domain'");
    }

    @Test
    void rejectsATamperedSignature() throws Exception {
        byte[] bytes = Envelope.seal(specKey(), "test-domain", TYPE, PAYLOAD).bytes();
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> Envelope.open(bytes, "test-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("envelope signature does not verify for domain 'test-domain'");
    }

    @Test
    void rejectsAnEnvelopeWithoutAKey() {
        assertThatThrownBy(() -> Envelope.open(HEX.parseHex("12020301"), "test-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageStartingWith("envelope has an invalid public key: malformed PublicKey protobuf: ");
    }

    @Test
    void rejectsMalformedProtobuf() {
        assertThatThrownBy(() -> Envelope.open(HEX.parseHex("0a05"), "test-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessageStartingWith("malformed envelope protobuf: ");
    }

    @Test
    void rejectsAnOversizedEnvelopeBeforeParsing() {
        assertThatThrownBy(() -> Envelope.open(new byte[Envelope.MAX_BYTES + 1], "test-domain"))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("envelope of 8193 bytes exceeds the 8192-byte limit");
    }

    @Test
    void refusesToSealAnOversizedPayload() {
        assertThatThrownBy(() -> Envelope.seal(Ed25519PrivateKey.generate(), "d", TYPE, new byte[Envelope.MAX_BYTES]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("envelope of 8303 bytes exceeds the 8192-byte limit");
    }
}
