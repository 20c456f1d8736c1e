package org.parley.libp2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.record.pb.PeerRecordProtos;

class PeerRecordTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<Multiaddr> ADDRESSES = List.of(
            Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"), Multiaddr.parse("/ip6/2001:db8::1/udp/4001/quic-v1"));

    @Test
    void roundTripsThroughASignedEnvelope() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), 1_700_000_000_000_000_000L, ADDRESSES);
        assertThat(PeerRecord.fromSignedEnvelope(record.toSignedEnvelope(key))).isEqualTo(record);
    }

    @Test
    void encodesThePeerRecordPayloadWithTypeBytes0301() throws Exception {
        PrivateKey key = EnvelopeTest.specKey();
        PeerId peer = PeerId.fromPublicKey(key.publicKey());
        byte[] signed = new PeerRecord(peer, 5, List.of(ADDRESSES.getFirst())).toSignedEnvelope(key);

        Envelope envelope = Envelope.open(signed, "libp2p-peer-record");
        assertThat(envelope.payloadType()).containsExactly(0x03, 0x01);
        // peer_id (38 bytes), seq 5, one AddressInfo holding /ip4/1.2.3.4/tcp/4001
        assertThat(HEX.formatHex(envelope.payload())).isEqualTo(
                "0a26" + HEX.formatHex(peer.bytes()) + "1005" + "1a0a" + "0a08" + "0401020304060fa1");
    }

    /**
     * Sealed by js-libp2p ({@code @libp2p/peer-record} 9.0.16) with the libp2p-wire.md §1 key; js
     * chose the seq (a millisecond timestamp). Ed25519 signatures are deterministic, so our
     * envelope of the same record must be byte-identical.
     */
    private static final String JS_LIBP2P_ENVELOPE = "0a24080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            + "120203011a560a260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e10e2bac388a034"
            + "1a0a0a080401020304060fa11a190a172920010db800000000000000000000000191020fa1cd03"
            + "2a401e77ad3db370ccfafc148455796e3ee161108a887f51f6f840c7f62ded160cf221c7bf385b4ad677781aee9794af080a7869fa22"
            + "bbf03b8a26ae6cbf54e1450e";

    @Test
    void matchesAnEnvelopeSealedByJsLibp2p() throws Exception {
        PrivateKey key = EnvelopeTest.specKey();
        PeerRecord expected = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), 1_795_314_212_194L, ADDRESSES);
        assertThat(PeerRecord.fromSignedEnvelope(HEX.parseHex(JS_LIBP2P_ENVELOPE))).isEqualTo(expected);
        assertThat(HEX.formatHex(expected.toSignedEnvelope(key))).isEqualTo(JS_LIBP2P_ENVELOPE);
    }

    @Test
    void keepsAnUnsignedSeqAboveLongMax() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), -2L, List.of());
        assertThat(PeerRecord.fromSignedEnvelope(record.toSignedEnvelope(key)).seq()).isEqualTo(-2L);
    }

    @Test
    void rejectsARecordSignedByAnotherKey() throws Exception {
        PrivateKey owner = Ed25519PrivateKey.generate();
        PrivateKey forger = Ed25519PrivateKey.generate();
        PeerId ownerId = PeerId.fromPublicKey(owner.publicKey());
        byte[] payload = Envelope.open(new PeerRecord(ownerId, 1, ADDRESSES).toSignedEnvelope(owner), PeerRecord.DOMAIN)
                .payload();
        byte[] forged = Envelope.seal(forger, PeerRecord.DOMAIN, new byte[] {0x03, 0x01}, payload).bytes();

        assertThatThrownBy(() -> PeerRecord.fromSignedEnvelope(forged))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("peer record of " + ownerId + " is signed by the key of "
                        + PeerId.fromPublicKey(forger.publicKey()));
    }

    @Test
    void refusesToSignWithAnotherPeersKey() {
        PrivateKey owner = Ed25519PrivateKey.generate();
        PrivateKey other = Ed25519PrivateKey.generate();
        PeerId ownerId = PeerId.fromPublicKey(owner.publicKey());
        PeerRecord record = new PeerRecord(ownerId, 1, ADDRESSES);
        assertThatThrownBy(() -> record.toSignedEnvelope(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot sign the peer record of " + ownerId + " with the key of "
                        + PeerId.fromPublicKey(other.publicKey()));
    }

    @Test
    void rejectsAnotherPayloadType() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        byte[] bytes = Envelope.seal(key, PeerRecord.DOMAIN, new byte[] {0x03, 0x02}, new byte[0]).bytes();
        assertThatThrownBy(() -> PeerRecord.fromSignedEnvelope(bytes))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("envelope payload type 0302 is not a peer record (expected 0301)");
    }

    @Test
    void rejectsTheLegacyRoutingStateDomain() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), 1, ADDRESSES);
        byte[] payload = Envelope.open(record.toSignedEnvelope(key), PeerRecord.DOMAIN).payload();
        byte[] legacy = Envelope.seal(key, "libp2p-routing-state", new byte[] {0x03, 0x01}, payload).bytes();
        assertThatThrownBy(() -> PeerRecord.fromSignedEnvelope(legacy))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("envelope signature does not verify for domain 'libp2p-peer-record'");
    }

    @Test
    void skipsAddressesItCannotDecode() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        PeerId peer = PeerId.fromPublicKey(key.publicKey());
        byte[] payload = PeerRecordProtos.PeerRecord.newBuilder()
                .setPeerId(ByteString.copyFrom(peer.bytes()))
                .setSeq(7)
                .addAddresses(address(HEX.parseHex("b424")))
                .addAddresses(address(ADDRESSES.getFirst().bytes()))
                .build()
                .toByteArray();
        byte[] bytes = Envelope.seal(key, PeerRecord.DOMAIN, new byte[] {0x03, 0x01}, payload).bytes();
        assertThat(PeerRecord.fromSignedEnvelope(bytes)).isEqualTo(new PeerRecord(peer, 7, List.of(ADDRESSES.getFirst())));
    }

    @Test
    void rejectsAnInvalidPeerId() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        byte[] payload = PeerRecordProtos.PeerRecord.newBuilder()
                .setPeerId(ByteString.copyFrom(new byte[] {0x11, 0x01, 0x00}))
                .build()
                .toByteArray();
        byte[] bytes = Envelope.seal(key, PeerRecord.DOMAIN, new byte[] {0x03, 0x01}, payload).bytes();
        assertThatThrownBy(() -> PeerRecord.fromSignedEnvelope(bytes))
                .isInstanceOf(InvalidEnvelopeException.class)
                .hasMessage("peer record has an invalid peer_id: PeerId multihash must be identity or sha2-256, got code 0x11");
    }

    private static PeerRecordProtos.PeerRecord.AddressInfo address(byte[] bytes) {
        return PeerRecordProtos.PeerRecord.AddressInfo.newBuilder().setMultiaddr(ByteString.copyFrom(bytes)).build();
    }
}
