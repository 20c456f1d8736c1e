package org.parley.libp2p.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

class MultiaddrTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The PeerId of the libp2p-wire.md §1 test vector key. */
    private static final String PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
    private static final String PEER_HEX = "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String PEER_CID = "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";
    private static final String OTHER_PEER = "12D3KooWLU2znyJMtDiHArqAGbZn8CgUGp92kxDBtefftEEaHSZS";
    private static final String CERTHASH = "uEiAw_J9GnCB0Gd_dCqtfJ6hslzyU5AVI25N1zKLpFZc7mQ";

    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/tcp/4001, 047f000001060fa1",
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip6/::1/udp/4001/quic-v1, 290000000000000000000000000000000191020fa1cd03",
        "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
        "/ip4/1.2.3.4/tcp/4001/p2p/" + PEER + ", 0401020304060fa1a50326" + PEER_HEX,
        "/ip4/1.2.3.4/udp/4001/webrtc-direct/certhash/" + CERTHASH
                + ", 040102030491020fa19802d20322122030fc9f469c207419dfdd0aab5f27a86c973c94e40548db9375cca2e915973b99",
        "/p2p/" + PEER + "/p2p-circuit/webrtc, a50326" + PEER_HEX + "a2029902",
    })
    void encodesTheWorkedExamplesOfTheSpec(String text, String hex) throws Exception {
        assertThat(HEX.formatHex(Multiaddr.parse(text).bytes())).isEqualTo(hex);
        assertThat(Multiaddr.fromBytes(HEX.parseHex(hex)).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "/ip4/1.2.3.4/tcp/443/tls/sni/example.com/ws",
        "/ip4/1.2.3.4/udp/4001/quic-v1/webtransport/certhash/" + CERTHASH + "/certhash/" + CERTHASH,
        "/ip6zone/eth0/ip6/fe80::1/tcp/1",
        "/dns/example.com/tcp/1/noise",
        "/dns6/example.com/udp/1/quic",
        "/dnsaddr/bootstrap.libp2p.io/p2p/" + PEER,
        "/ip4/1.2.3.4/tcp/1/p2p/" + PEER + "/p2p-circuit/p2p/" + OTHER_PEER,
        "/ip4/0.0.0.0/tcp/0",
        "/ip4/255.255.255.255/tcp/65535",
    })
    void roundTripsTextAndBinary(String text) throws Exception {
        Multiaddr parsed = Multiaddr.parse(text);
        assertThat(parsed.toString()).isEqualTo(text);
        Multiaddr decoded = Multiaddr.fromBytes(parsed.bytes());
        assertThat(decoded).isEqualTo(parsed).hasSameHashCodeAs(parsed);
        assertThat(decoded.toString()).isEqualTo(text);
    }

    @Test
    void readsIpfsAsP2p() {
        assertThat(Multiaddr.parse("/ipfs/" + PEER)).isEqualTo(Multiaddr.parse("/p2p/" + PEER));
        assertThat(Multiaddr.parse("/ipfs/" + PEER).toString()).isEqualTo("/p2p/" + PEER);
    }

    @Test
    void acceptsACidPeerIdAndPrintsBase58() {
        assertThat(Multiaddr.parse("/p2p/" + PEER_CID).toString()).isEqualTo("/p2p/" + PEER);
    }

    @Test
    void acceptsACerthashInAnyMultibaseAndPrintsBase64Url() {
        String base32 = "bciqdb7e7i2oca5az37oqvk27e6ugzfz4stsaksg3sn24zixjcwltxgi";
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/udp/1/webrtc-direct/certhash/" + base32);
        assertThat(addr.toString()).isEqualTo("/ip4/1.2.3.4/udp/1/webrtc-direct/certhash/" + CERTHASH);
    }

    @Test
    void toleratesOneTrailingSlash() {
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/").toString()).isEqualTo("/ip4/1.2.3.4/tcp/1");
    }

    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:DB8::A, 2001:db8::a",
        "::, ::",
        "1::, 1::",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",
        "1:0:0:1:1:0:0:1, 1::1:1:0:0:1",
        "1:0:1:1:1:1:1:1, 1:0:1:1:1:1:1:1",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::ffff:102:304, ::ffff:1.2.3.4",
        "64:ff9b::1.2.3.4, 64:ff9b::102:304",
    })
    void printsIp6InCompressedForm(String input, String canonical) {
        assertThat(Multiaddr.parse("/ip6/" + input).toString()).isEqualTo("/ip6/" + canonical);
    }

    @Test
    void rejectsAnUnknownProtocolName() {
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/foo"))
                .isInstanceOf(InvalidMultiaddrException.class)
                .hasMessage("unknown multiaddr protocol 'foo' in /ip4/1.2.3.4/foo");
    }

    @Test
    void rejectsAnUnknownProtocolCode() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("047f000001b424")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("unknown multiaddr protocol code 0x1234");
    }

    @Test
    void rejectsATruncatedFixedValue() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("047f0000")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("truncated multiaddr: ip4 value needs 4 bytes but 3 remain");
    }

    @Test
    void rejectsATruncatedVariableValue() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("360b6578616d")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("truncated multiaddr: dns4 value needs 11 bytes but 4 remain");
    }

    @Test
    void rejectsAVarintCutShort() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("047f00000191")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("buffer ended inside a varint");
    }

    @Test
    void rejectsAnInvalidPeerIdInBinary() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("a50303010203")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("invalid multiaddr p2p value: ");
    }

    @Test
    void rejectsANameWithASlashInBinary() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("3603612f62")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("invalid multiaddr dns4 value: contains '/'");
    }

    @Test
    void rejectsAnEmptyBinaryMultiaddr() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[0]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("empty multiaddr");
    }

    @Test
    void rejectsBinaryOverTheSizeLimit() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("multiaddr of 1025 bytes exceeds the 1024-byte limit");
    }

    @Test
    void rejectsTextOverTheSizeLimit() {
        String text = "/dns/" + "a".repeat(Multiaddr.MAX_TEXT_LENGTH);
        assertThatThrownBy(() -> Multiaddr.parse(text))
                .isInstanceOf(InvalidMultiaddrException.class)
                .hasMessage("multiaddr text of 4101 characters exceeds the 4096-character limit");
    }

    @Test
    void rejectsTextThatEncodesOverTheSizeLimit() {
        String text = "/ws".repeat(513);
        assertThatThrownBy(() -> Multiaddr.parse(text))
                .isInstanceOf(InvalidMultiaddrException.class)
                .hasMessage("multiaddr of 1026 bytes exceeds the 1024-byte limit");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ip4/1.2.3.4/tcp/70000 | invalid tcp value '70000' in /ip4/1.2.3.4/tcp/70000: expected a port number 0-65535",
        "/ip4/1.2.3.4/udp/-1 | invalid udp value '-1' in /ip4/1.2.3.4/udp/-1: expected a port number 0-65535",
        "/ip4/1.2.3/tcp/1 | invalid ip4 value '1.2.3' in /ip4/1.2.3/tcp/1: expected a dotted quad such as 192.0.2.1",
        "/ip4/1.2.3.256 | invalid ip4 value '1.2.3.256' in /ip4/1.2.3.256: expected a dotted quad such as 192.0.2.1",
        "/ip4/01.2.3.4 | invalid ip4 value '01.2.3.4' in /ip4/01.2.3.4: expected a dotted quad such as 192.0.2.1",
        "/ip6/1:::2 | invalid ip6 value '1:::2' in /ip6/1:::2: expected an IPv6 address such as 2001:db8::1",
        "/ip6/1:2:3:4:5:6:7 | invalid ip6 value '1:2:3:4:5:6:7' in /ip6/1:2:3:4:5:6:7: expected an IPv6 address such as 2001:db8::1",
        "/ip6/1:2:3:4:5:6:7::8 | invalid ip6 value '1:2:3:4:5:6:7::8' in /ip6/1:2:3:4:5:6:7::8: expected an IPv6 address such as 2001:db8::1",
        "/ip6/12345::1 | invalid ip6 value '12345::1' in /ip6/12345::1: expected an IPv6 address such as 2001:db8::1",
        "/ip4/1.2.3.4/tcp | multiaddr protocol 'tcp' is missing its value in /ip4/1.2.3.4/tcp",
        "/dns4//tcp/1 | invalid dns4 value '' in /dns4//tcp/1: is empty",
        "ip4/1.2.3.4 | multiaddr must start with '/': ip4/1.2.3.4",
        "/ip4/1.2.3.4//tcp/1 | empty protocol name in /ip4/1.2.3.4//tcp/1",
        "/ | empty multiaddr",
        "/p2p/QmNotAPeer | invalid p2p value 'QmNotAPeer' in /p2p/QmNotAPeer: not a valid PeerId 'QmNotAPeer': multihash declares 115 digest bytes but 6 remain",
    })
    void rejectsMalformedTextWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> Multiaddr.parse(text))
                .isInstanceOf(InvalidMultiaddrException.class)
                .hasMessage(message);
    }

    @Test
    void exposesComponentsWithBinaryAndTextValues() {
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/ws");
        assertThat(addr.components()).extracting(Multiaddr.Component::protocol)
                .containsExactly(Protocol.IP4, Protocol.TCP, Protocol.WS);
        assertThat(addr.components()).extracting(Multiaddr.Component::textValue)
                .containsExactly("1.2.3.4", "4001", null);
        assertThat(addr.components().get(1).value()).containsExactly(0x0f, 0xa1);
        assertThat(addr.components().get(2).value()).isEmpty();
    }

    @Test
    void componentRejectsAValueOfTheWrongSize() {
        assertThatThrownBy(() -> new Multiaddr.Component(Protocol.TCP, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid multiaddr tcp value: needs 2 bytes, got 3");
    }

    @Test
    void peerIdIsTheTrailingP2pComponent() {
        PeerId peer = PeerId.parse(PEER);
        PeerId other = PeerId.parse(OTHER_PEER);
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PEER).peerId()).isEqualTo(peer);
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PEER + "/p2p-circuit/p2p/" + OTHER_PEER).peerId())
                .isEqualTo(other);
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PEER + "/p2p-circuit").peerId()).isNull();
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1").peerId()).isNull();
    }

    @Test
    void withPeerIdAppendsOrReplaces() {
        PeerId peer = PeerId.parse(PEER);
        PeerId other = PeerId.parse(OTHER_PEER);
        Multiaddr bare = Multiaddr.parse("/ip4/1.2.3.4/tcp/1");
        assertThat(bare.withPeerId(peer).toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + PEER);
        assertThat(bare.withPeerId(peer).withPeerId(other).toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + OTHER_PEER);
        assertThat(bare.withPeerId(peer).withoutPeerId()).isEqualTo(bare);
        assertThat(bare.withoutPeerId()).isSameAs(bare);
    }

    @Test
    void withoutPeerIdOfABareP2pAddressIsEmpty() {
        Multiaddr empty = Multiaddr.parse("/p2p/" + PEER).withoutPeerId();
        assertThat(empty.components()).isEmpty();
        assertThat(empty.bytes()).isEmpty();
        assertThat(empty.toString()).isEmpty();
        assertThat(empty.peerId()).isNull();
    }

    @Test
    void encapsulateAppendsTheInnerAddress() {
        Multiaddr relay = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PEER);
        Multiaddr circuit = relay.encapsulate(Multiaddr.parse("/p2p-circuit/p2p/" + OTHER_PEER));
        assertThat(circuit.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + PEER + "/p2p-circuit/p2p/" + OTHER_PEER);
        assertThat(circuit.bytes()).startsWith(relay.bytes());
    }

    @Test
    void buildsTcpAddressesFromInetAddresses() throws Exception {
        assertThat(Multiaddr.tcp(InetAddress.getByName("127.0.0.1"), 4001).toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(Multiaddr.tcp(InetAddress.getByName("::1"), 4001).toString()).isEqualTo("/ip6/::1/tcp/4001");
        assertThatThrownBy(() -> Multiaddr.tcp(InetAddress.getByName("127.0.0.1"), 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TCP port 65536 is outside 0-65535");
    }

    @Test
    void convertsTcpAddressesToSocketAddresses() throws Exception {
        assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + PEER).toTcpSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4001));
        assertThat(Multiaddr.parse("/ip6/::1/tcp/5").toTcpSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 5));
        InetSocketAddress dns = Multiaddr.parse("/dns4/example.com/tcp/443").toTcpSocketAddress();
        assertThat(dns.isUnresolved()).isTrue();
        assertThat(dns.getHostString()).isEqualTo("example.com");
        assertThat(dns.getPort()).isEqualTo(443);
    }

    @Test
    void refusesToConvertANonTcpAddress() {
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/443/ws").toTcpSocketAddress())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("multiaddr /ip4/1.2.3.4/tcp/443/ws is not a plain TCP address;"
                        + " expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<id>]");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/udp/1/quic-v1").toTcpSocketAddress())
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}: loopback={1} private={2} public={3}")
    @CsvSource({
        "/ip4/127.0.0.1/tcp/1, true, true, false",
        "/ip4/127.8.9.10/tcp/1, true, true, false",
        "/ip6/::1/tcp/1, true, true, false",
        "/ip6/::ffff:127.0.0.1/tcp/1, true, true, false",
        "/dns/localhost/tcp/1, true, true, false",
        "/ip4/10.1.2.3/tcp/1, false, true, false",
        "/ip4/172.16.0.1/tcp/1, false, true, false",
        "/ip4/172.31.255.255/tcp/1, false, true, false",
        "/ip4/172.32.0.1/tcp/1, false, false, true",
        "/ip4/192.168.1.1/tcp/1, false, true, false",
        "/ip4/169.254.1.1/tcp/1, false, true, false",
        "/ip4/100.64.0.1/tcp/1, false, true, false",
        "/ip4/100.128.0.1/tcp/1, false, false, true",
        "/ip4/0.0.0.0/tcp/1, false, true, false",
        "/ip6/::/tcp/1, false, true, false",
        "/ip6/fe80::1/tcp/1, false, true, false",
        "/ip6zone/eth0/ip6/fe80::1/tcp/1, false, true, false",
        "/ip6/fd00::1/tcp/1, false, true, false",
        "/ip6/::ffff:192.168.0.1/tcp/1, false, true, false",
        "/dns4/printer.local/tcp/1, false, true, false",
        "/ip4/8.8.8.8/tcp/1, false, false, true",
        "/ip4/224.0.0.1/udp/1, false, false, false",
        "/ip4/255.255.255.255/udp/1, false, false, false",
        "/ip4/192.0.2.1/tcp/1, false, false, false",
        "/ip4/198.51.100.1/tcp/1, false, false, false",
        "/ip4/203.0.113.1/tcp/1, false, false, false",
        "/ip4/198.18.0.1/tcp/1, false, false, false",
        "/ip6/2001:db8::1/tcp/1, false, false, false",
        "/ip6/ff02::1/udp/1, false, false, false",
        "/ip6/2606:4700::1111/tcp/1, false, false, true",
        "/ip6/64:ff9b::8.8.8.8/tcp/1, false, false, true",
        "/ip6/64:ff9b::10.0.0.1/tcp/1, false, false, false",
        "/dns4/example.com/tcp/1, false, false, true",
        "/p2p-circuit, false, false, false",
    })
    void classifiesReachability(String text, boolean loopback, boolean privateOrLocal, boolean isPublic) {
        Multiaddr addr = Multiaddr.parse(text);
        assertThat(addr.isLoopback()).as("loopback").isEqualTo(loopback);
        assertThat(addr.isPrivateOrLocal()).as("private or local").isEqualTo(privateOrLocal);
        assertThat(addr.isPublic()).as("public").isEqualTo(isPublic);
    }

    @Test
    void ipBytesAreTheLeadingIpWithMappedIpv4Unwrapped() {
        assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1").ipBytes()).containsExactly(1, 2, 3, 4);
        assertThat(Multiaddr.parse("/ip6/::ffff:1.2.3.4/tcp/1").ipBytes()).containsExactly(1, 2, 3, 4);
        assertThat(Multiaddr.parse("/ip6/2001:db8::1").ipBytes()).hasSize(16);
        assertThat(Multiaddr.parse("/dns4/example.com/tcp/1").ipBytes()).isNull();
    }

    @Test
    void isImmutable() {
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/tcp/1");
        addr.bytes()[1] = 9;
        addr.components().getFirst().value()[0] = 9;
        assertThat(addr.toString()).isEqualTo("/ip4/1.2.3.4/tcp/1");
        assertThat(addr.bytes()[1]).isEqualTo((byte) 1);
    }
}
