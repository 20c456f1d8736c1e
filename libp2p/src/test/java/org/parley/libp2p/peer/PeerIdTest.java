package org.parley.libp2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;

/** The identity chain of libp2p-wire.md §1: key protobuf -> PeerId bytes -> text forms -> Kademlia ID. */
class PeerIdTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final String PUBLIC_PB = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String PEER_ID_HEX = "0024" + PUBLIC_PB;
    private static final String BASE58 = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
    private static final String CID = "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";
    private static final String KADEMLIA_ID = "dfd53212a4bd2beda3ea8e82d08285370c70a70cfe9c588e28754b23c8033121";

    /** Published in ipfs/specs kad-dht.md. */
    private static final String KAD_EXAMPLE_BASE58 = "12D3KooWLU2znyJMtDiHArqAGbZn8CgUGp92kxDBtefftEEaHSZS";
    private static final String KAD_EXAMPLE_CID = "bafzaajaiaejcbhr3im6l2mocxctoxpoktgf5b5gccqojzgxviixjoycrwhtdv4kn";
    private static final String KAD_EXAMPLE_BASE36 = "k51qzi5uqu5dk4kbd5bpmklj30q0q8n3091bncahugkx18e84p1od2rk25olsd";
    private static final String KAD_EXAMPLE_KADEMLIA_ID =
            "e43d28f0996557c0d5571d75c62a57a59d7ac1d30a51ecedcdb9d5e4afa56100";

    /** Published in libp2p/specs peer-ids.md: an RSA (sha2-256) PeerId in both forms. */
    private static final String RSA_BASE58 = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private static final String RSA_CID = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

    @Test
    void derivesTheSpecVectorFromThePublicKey() throws Exception {
        PublicKey key = Keys.unmarshalPublic(HEX.parseHex(PUBLIC_PB));
        PeerId id = PeerId.fromPublicKey(key);
        assertThat(HEX.formatHex(id.bytes())).isEqualTo(PEER_ID_HEX);
        assertThat(id.toBase58()).isEqualTo(BASE58);
        assertThat(id.toString()).isEqualTo(BASE58);
        assertThat(id.toCid()).isEqualTo(CID);
        assertThat(HEX.formatHex(Multihash.sha256Digest(id.bytes()))).isEqualTo(KADEMLIA_ID);
        assertThat(id.matches(key)).isTrue();
        assertThat(id.inlinedPublicKey()).isEqualTo(key);
    }

    @Test
    void parsesBothTextFormsOfTheSpecVector() throws Exception {
        PeerId expected = PeerId.fromBytes(HEX.parseHex(PEER_ID_HEX));
        assertThat(PeerId.parse(BASE58)).isEqualTo(expected);
        assertThat(PeerId.parse(CID)).isEqualTo(expected);
    }

    @Test
    void matchesThePublishedKadDhtExample() {
        PeerId id = PeerId.parse(KAD_EXAMPLE_BASE58);
        assertThat(HEX.formatHex(id.bytes())).startsWith("0024080112209e3b433c").endsWith("e63af14d");
        assertThat(id.toCid()).isEqualTo(KAD_EXAMPLE_CID);
        assertThat(Multibase.encodeBase36(cidBytes(id))).isEqualTo(KAD_EXAMPLE_BASE36);
        assertThat(PeerId.parse(KAD_EXAMPLE_CID)).isEqualTo(id);
        assertThat(PeerId.parse(KAD_EXAMPLE_BASE36)).isEqualTo(id);
        assertThat(HEX.formatHex(Multihash.sha256Digest(id.bytes()))).isEqualTo(KAD_EXAMPLE_KADEMLIA_ID);
        assertThat(PeerId.fromPublicKey(id.inlinedPublicKey())).isEqualTo(id);
    }

    @Test
    void matchesThePublishedRsaExample() {
        PeerId id = PeerId.parse(RSA_BASE58);
        assertThat(id.toCid()).isEqualTo(RSA_CID);
        assertThat(PeerId.parse(RSA_CID)).isEqualTo(id);
        assertThat(id.bytes()).hasSize(34).startsWith(0x12, 0x20);
        assertThat(id.inlinedPublicKey()).isNull();
    }

    @Test
    void ed25519IdsStartWith12D3KooW() {
        assertThat(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toBase58()).startsWith("12D3KooW");
    }

    @Test
    void comparesByBytesNotText() {
        assertThat(PeerId.parse(CID)).isEqualTo(PeerId.parse(BASE58)).hasSameHashCodeAs(PeerId.parse(BASE58));
        assertThat(PeerId.parse(BASE58)).isNotEqualTo(PeerId.parse(KAD_EXAMPLE_BASE58));
    }

    @Test
    void rejectsACidWithTheWrongCodec() {
        byte[] cid = HEX.parseHex("0155" + PEER_ID_HEX);
        String text = Multibase.encodeBase32(cid);
        assertThatThrownBy(() -> PeerId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CID is version 1 codec 0x55; a PeerId CID must be version 1 with codec libp2p-key (0x72)");
    }

    @Test
    void rejectsAMultihashOtherThanIdentityOrSha256() {
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("1114" + "00".repeat(20))))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("PeerId multihash must be identity or sha2-256, got code 0x11");
    }

    @Test
    void rejectsAnIdentityMultihashLongerThanAnInlinedKey() {
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("002b" + "00".repeat(43))))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("PeerId identity multihash inlines 43 bytes; keys over 42 bytes are hashed with sha2-256");
    }

    @Test
    void rejectsTrailingBytes() {
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex(PEER_ID_HEX + "00")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("multihash has 1 trailing bytes");
    }

    @Test
    void rejectsEmptyText() {
        assertThatThrownBy(() -> PeerId.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty PeerId");
    }

    @Test
    void rejectsBadBase58() {
        assertThatThrownBy(() -> PeerId.parse("12D3KooW0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid base58 character '0' at position 8");
    }

    /** Base58 decoding is quadratic in the text length: overlong text is refused before decoding. */
    @Test
    void rejectsTextLongerThanAnyPeerId() {
        assertThatThrownBy(() -> PeerId.parse("1".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PeerId text of 513 characters exceeds the 512-character limit");
    }

    private static byte[] cidBytes(PeerId id) {
        byte[] mh = id.bytes();
        byte[] cid = new byte[mh.length + 2];
        cid[0] = 1;
        cid[1] = 0x72;
        System.arraycopy(mh, 0, cid, 2, mh.length);
        return cid;
    }
}
