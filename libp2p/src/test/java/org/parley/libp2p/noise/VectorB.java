package org.parley.libp2p.noise;

import java.util.HexFormat;
import java.util.List;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/**
 * Vector B of docs/libp2p-wire.md §4: the libp2p layer over the Vector A Noise keys with an empty
 * prologue, two Ed25519 identities and {@code stream_muxers = ["/yamux/1.0.0"]} on both sides.
 */
final class VectorB {

    private static final HexFormat HEX = HexFormat.of();

    static final Ed25519PrivateKey INITIATOR_IDENTITY =
            Ed25519PrivateKey.fromSeed(HEX.parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));
    static final Ed25519PrivateKey RESPONDER_IDENTITY =
            Ed25519PrivateKey.fromSeed(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    static final PeerId INITIATOR_PEER = PeerId.parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
    static final PeerId RESPONDER_PEER = PeerId.parse("12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB");
    static final List<String> MUXERS = List.of("/yamux/1.0.0");

    static final String INITIATOR_STATIC_PUB = "6bc3822a2aa7f4e6981d6538692b3cdf3e6df9eea6ed269eb41d93c22757b75a";
    static final String RESPONDER_STATIC_PUB = "31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62";
    static final String H_AFTER_PROLOGUE = "f3d15e6108ed9556171207baa58f97d29a13c6be40595166066e2e0958dc002d";
    static final String FRAME_1 = "0020ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944";
    static final String H_AFTER_MESSAGE_1 = "4353c8bdcd2b308bbdc80f18332315cdc636dc30a907b76758cdcb012f42977a";
    static final String PAYLOAD_R = "0a240801122003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
            + "12409d81d9e24c1aeb8f65ddb0c0cc4c5bfd1e69339343da323fe9bf8e0501539a9d41081f7481ce6a24a071af825dacccdcae9d78763b528a84cc298ce591447c05"
            + "220e120c2f79616d75782f312e302e30";
    static final String FRAME_2 = "00d895ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a"
            + "8639392490e5b90b20f024c6abdc05d618c61c13a3fe07127982eb5ca72a4df397da83fbc1ccd330987bb8762322b474114190c6c4b865a7a8e726f7d7c92b581b8"
            + "c8bf578184bc82688ed79129ad1e8a314f8a6931a17984cef747b6d4fae42b8c36d0e21635374117bdda2cc57c323af8ab3649a404a55cb4116048b20b9503974a5c"
            + "ae505fe7ff65e88cf556e27addbb44cac4bea87ea92000a7cc0bfb1";
    static final String H_AFTER_MESSAGE_2 = "2277f72b97305cb9a5279f88ff73e38eb304b238ce551c125a832287646d8678";
    static final String CK_AFTER_MESSAGE_2 = "e9ac0a234ec6ef116383a4dc1f7c2cf24c0c05ac77da4b621c1701d11df81500";
    static final String PAYLOAD_I = "0a24080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            + "1240e292a4b36dcd264cb7933551567462bf4b6bdc79bcc37af23ea723110cf8cfde08000f9e95441ba4fd4b82844305554004fc4be681ce33c277510b6332588c09"
            + "220e120c2f79616d75782f312e302e30";
    static final String FRAME_3 = "00b8c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a8142e01c2a7f073b7c7c7d47f2afb69e614c3d6e0e8ecd41217dd"
            + "fdf0afb41507a1be308a2142c5bd7aa4533305677b3e694b63076f9d2df0fe4d73b419771080a6cf96b373850176596856cd9886b5ccf7b92fd0b13c9d40153da17"
            + "beeda35f1631e57da5fabbc42aaeea8ff1a68839842fe9190823c6eb044e1b00c760b0081d2628ff15e062ef3720f392c1b8495f74acef01106b2cd4d";
    static final String HANDSHAKE_HASH = "4daeda882a66a1535d77255846c209291e6aab4485c53c1d3cf406d010000b1b";
    static final String FINAL_CK = "355109043181208712b14c32e33557e59f80d2635044af65dc662d75f38b913a";
    static final String K1 = "3062fff068d0abd171b4b4603c5b7633bf5ee4e79da311370c2eba7f1ed6c69a";
    static final String K2 = "cbabb3f5e4529fc0e93efda9b4b70169270c04b05c5be25f71e9c55f7955c86a";
    /** "\x13/multistream/1.0.0\n", the multistream-select header. */
    static final String MSS_HEADER = "132f6d756c746973747265616d2f312e302e300a";
    static final String TRANSPORT_0 = "0024670afd442e0c4ead4470332ef0bebbb0ffc8be7dde4af181239b444739c3819e95bdaa5b";
    static final String TRANSPORT_1 = "0024a48fb9116feb24c588682430c86d1adde76d0a642b7f892d65067e336f816a3e51f51c11";

    private VectorB() {}

    static HandshakeState initiatorNoise(Aead.Factory aead) {
        return HandshakeState.withFixedEphemeral(true, HandshakeStateTest.key(HandshakeStateTest.INIT_STATIC),
                new byte[0], aead, HandshakeStateTest.key(HandshakeStateTest.INIT_EPHEMERAL));
    }

    static HandshakeState responderNoise(Aead.Factory aead) {
        return HandshakeState.withFixedEphemeral(false, HandshakeStateTest.key(HandshakeStateTest.RESP_STATIC),
                new byte[0], aead, HandshakeStateTest.key(HandshakeStateTest.RESP_EPHEMERAL));
    }

    static byte[] initiatorPayload() {
        byte[] sig = NoiseHandshake.signStaticKey(INITIATOR_IDENTITY, HEX.parseHex(INITIATOR_STATIC_PUB));
        return NoiseHandshake.encodePayload(INITIATOR_IDENTITY, sig, MUXERS);
    }

    static byte[] responderPayload() {
        byte[] sig = NoiseHandshake.signStaticKey(RESPONDER_IDENTITY, HEX.parseHex(RESPONDER_STATIC_PUB));
        return NoiseHandshake.encodePayload(RESPONDER_IDENTITY, sig, MUXERS);
    }

    static NoiseHandshake initiator(HandshakeState noise) {
        return new NoiseHandshake(noise, initiatorPayload(), MUXERS, RESPONDER_PEER);
    }

    static NoiseHandshake responder(HandshakeState noise) {
        return new NoiseHandshake(noise, responderPayload(), MUXERS, null);
    }
}
