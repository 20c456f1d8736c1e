package org.parley.files.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.FileId;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.peer.PeerId;

class FileLinkTest {

    static final FileId ID = FileId.ofManifest(new byte[] {1, 2, 3});
    static final FileKey KEY = FileKey.of(new byte[32]);
    static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    static final Multiaddr HINT = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001/p2p/" + PEER);

    static FileLink sample() {
        return new FileLink(ID, "Holiday photos (2026) é+.tar", 1_234_567, List.of(HINT, Multiaddr.parse("/ip6/::1/tcp/4001/p2p/" + PEER)), KEY);
    }

    @Test
    void writesTheMagnetFormWithTheNamePercentEncodedAndTheAddressesAsTheyAre() {
        String uri = sample().toUri();
        assertThat(uri).isEqualTo("magnet:?xt=urn:parley:" + ID + "&dn=Holiday%20photos%20%282026%29%20%C3%A9%2B.tar&xl=1234567"
                + "&x.pe=" + HINT + "&x.pe=/ip6/::1/tcp/4001/p2p/" + PEER + "&x.key=" + Multibase.encodeBase32(new byte[32]));
        assertThat(ID.toString()).startsWith("bciq");
    }

    @Test
    void roundTrips() throws InvalidFileLinkException {
        FileLink link = sample();
        assertThat(FileLink.parse(link.toUri())).isEqualTo(link);
    }

    @Test
    void readsPlusAsSpaceAndIgnoresOtherMagnetParameters() throws InvalidFileLinkException {
        String uri = "magnet:?xt=urn:parley:" + ID + "&dn=a+b.txt&tr=udp%3A%2F%2Ftracker&xl=5&x.key=" + Multibase.encodeBase32(new byte[32]);
        FileLink link = FileLink.parse(uri);
        assertThat(link.name()).isEqualTo("a b.txt");
        assertThat(link.peers()).isEmpty();
        assertThat(link.size()).isEqualTo(5);
    }

    @Test
    void neverPrintsTheKey() {
        assertThat(sample().toString()).doesNotContain(Multibase.encodeBase32(new byte[32])).contains("2 peer hints");
    }

    @Test
    void saysWhichPartIsWrong() {
        String key = "&x.key=" + Multibase.encodeBase32(new byte[32]);
        String xt = "xt=urn:parley:" + ID;
        assertRejected("http://example.com", "link", "a Parley file link starts with 'magnet:?'");
        assertRejected("magnet:?dn=a&xl=1" + key, "xt", "the link has no file id (xt=urn:parley:...)");
        assertRejected("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a&xl=1" + key, "xt",
                "the link's xt must start with 'urn:parley:'; this is not a Parley file link");
        assertRejected("magnet:?xt=urn:parley:bzzzz&dn=a&xl=1" + key, "xt", "the link's file id (xt) is not valid: buffer ended inside a varint");
        assertRejected("magnet:?" + xt + "&xl=1" + key, "dn", "the link has no file name (dn)");
        assertRejected("magnet:?" + xt + "&dn=..%2Fetc%2Fpasswd&xl=1" + key, "dn",
                "the link's file name (dn) cannot be used: the file name contains a path separator");
        assertRejected("magnet:?" + xt + "&dn=a%zz&xl=1" + key, "dn", "the link's dn has a '%' not followed by two hex digits");
        assertRejected("magnet:?" + xt + "&dn=a%C3&xl=1" + key, "dn", "the link's dn is not valid UTF-8 once decoded");
        assertRejected("magnet:?" + xt + "&dn=a" + key, "xl", "the link has no file size (xl)");
        assertRejected("magnet:?" + xt + "&dn=a&xl=-1" + key, "xl", "the link's file size (xl) must be a number of bytes, not '-1'");
        assertRejected("magnet:?" + xt + "&dn=a&xl=0" + key, "xl", "the link's file size (xl) must be 1 to 68719476736 bytes, not 0");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1&xl=2" + key, "xl", "the link has more than one 'xl'");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1&x.pe=/ip4/1.2.3.4/tcp/1" + key, "x.pe",
                "the link's peer address (x.pe) '/ip4/1.2.3.4/tcp/1' must end in /p2p/<peer id>");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1&x.pe=/ip4/1.2.3.4/foo" + key, "x.pe",
                "the link's peer address (x.pe) '/ip4/1.2.3.4/foo' is not a multiaddr: unknown multiaddr protocol 'foo' in /ip4/1.2.3.4/foo");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1", "x.key", "the link has no key (x.key); ask the sender for the whole link");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1&x.key=" + Multibase.encodeBase32(new byte[16]), "x.key",
                "the link's key (x.key) has 16 bytes, expected 32");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1&x.key=zzz", "x.key",
                "the link's key (x.key) is not valid: it must be base32 text starting with 'b'");
        assertRejected("magnet:?" + "x".repeat(FileLink.MAX_LINK_LENGTH), "link", "the link has 8200 characters, more than 8192");
        assertRejected("magnet:?" + xt + "&dn=a&xl=1" + ("&x.pe=" + HINT).repeat(17) + key, "x.pe",
                "the link has more than 16 peer hints (x.pe)");
    }

    private static void assertRejected(String link, String part, String message) {
        assertThatThrownBy(() -> FileLink.parse(link))
                .isInstanceOf(InvalidFileLinkException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((InvalidFileLinkException) e).part()).isEqualTo(part));
    }
}
