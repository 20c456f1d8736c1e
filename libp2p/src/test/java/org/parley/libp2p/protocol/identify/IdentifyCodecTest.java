package org.parley.libp2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.pb.IdentifyProtos;
import org.parley.libp2p.record.PeerRecord;

class IdentifyCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The Ed25519 key of libp2p-wire.md §1 (seed 7e08...ee7d, public 1ed1...e27e). */
    static final Ed25519PrivateKey SPEC_KEY =
            Ed25519PrivateKey.fromSeed(HEX.parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));

    /**
     * A peer record of {@link #SPEC_KEY} listing /ip4/1.2.3.4/tcp/4001 and
     * /ip6/2001:db8::1/udp/4001/quic-v1, sealed by js-libp2p ({@code @libp2p/peer-record} 9.0.16;
     * the same fixture as PeerRecordTest).
     */
    static final String JS_SIGNED_PEER_RECORD = "0a24080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            + "120203011a560a260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e10e2bac388a034"
            + "1a0a0a080401020304060fa11a190a172920010db800000000000000000000000191020fa1cd03"
            + "2a401e77ad3db370ccfafc148455796e3ee161108a887f51f6f840c7f62ded160cf221c7bf385b4ad677781aee9794af080a7869fa22"
            + "bbf03b8a26ae6cbf54e1450e";

    /** {@link #fullInfo()} framed as one part; each field by hand from the identify schema. */
    private static final String FULL_MESSAGE_HEX = "bc02"                       // uvarint(316): one part
            + "0a24" + "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e" // 1 publicKey
            + "1208" + "047f000001060fa1"                                        // 2 listenAddrs /ip4/127.0.0.1/tcp/4001
            + "1a0e" + "2f697066732f69642f312e302e30"                            // 3 protocols /ipfs/id/1.0.0
            + "1a10" + "2f697066732f70696e672f312e302e30"                        // 3 protocols /ipfs/ping/1.0.0
            + "2208" + "0401020304060fa1"                                        // 4 observedAddr /ip4/1.2.3.4/tcp/4001
            + "2a0a" + "697066732f302e312e30"                                    // 5 protocolVersion ipfs/0.1.0
            + "320b" + "7061726c65792f74657374"                                  // 6 agentVersion parley/test
            + "42c401" + JS_SIGNED_PEER_RECORD;                                  // 8 signedPeerRecord (196 bytes)

    static IdentifyInfo fullInfo() throws Exception {
        return new IdentifyInfo(
                SPEC_KEY.publicKey(),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")),
                List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"),
                Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"),
                "ipfs/0.1.0",
                "parley/test",
                SignedPeerRecord.fromEnvelope(HEX.parseHex(JS_SIGNED_PEER_RECORD)));
    }

    private static byte[] written(IdentifyInfo info) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdentifyCodec.write(out, info);
        return out.toByteArray();
    }

    private static IdentifyInfo readHex(String hex) throws IOException {
        return IdentifyCodec.read(new ByteArrayInputStream(HEX.parseHex(hex)));
    }

    private static String framed(IdentifyProtos.Identify... parts) {
        StringBuilder hex = new StringBuilder();
        for (IdentifyProtos.Identify part : parts) {
            hex.append(HEX.formatHex(LengthPrefixed.frame(part.toByteArray())));
        }
        return hex.toString();
    }

    @Test
    void encodesAFullMessageAsTheHandWrittenFixture() throws Exception {
        assertThat(HEX.formatHex(written(fullInfo()))).isEqualTo(FULL_MESSAGE_HEX);
    }

    @Test
    void decodesTheHandWrittenFixture() throws Exception {
        IdentifyInfo info = readHex(FULL_MESSAGE_HEX);

        assertThat(info).isEqualTo(fullInfo());
        PeerRecord record = info.signedPeerRecord().record();
        assertThat(record.peerId()).isEqualTo(PeerId.fromPublicKey(SPEC_KEY.publicKey()));
        assertThat(record.seq()).isEqualTo(1_795_314_212_194L);
        assertThat(record.addresses()).containsExactly(
                Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"), Multiaddr.parse("/ip6/2001:db8::1/udp/4001/quic-v1"));
    }

    @Test
    void keepsAbsentFieldsAbsent() throws Exception {
        assertThat(readHex("00")).isEqualTo(IdentifyInfo.empty());
        assertThat(readHex("")).isEqualTo(IdentifyInfo.empty());
        assertThat(HEX.formatHex(written(IdentifyInfo.empty()))).isEqualTo("00");
    }

    @Test
    void mergesPartsReadUntilEndOfStream() throws Exception {
        String parts = framed(
                IdentifyProtos.Identify.newBuilder()
                        .addProtocols("/ipfs/id/1.0.0")
                        .addListenAddrs(ByteString.fromHex("047f000001060fa1"))
                        .setAgentVersion("first")
                        .build(),
                IdentifyProtos.Identify.newBuilder()
                        .addProtocols("/ipfs/kad/1.0.0")
                        .setAgentVersion("second")
                        .build(),
                IdentifyProtos.Identify.newBuilder()
                        .setSignedPeerRecord(ByteString.fromHex(JS_SIGNED_PEER_RECORD))
                        .build());

        IdentifyInfo info = readHex(parts);

        assertThat(info.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/kad/1.0.0");
        assertThat(info.listenAddrs()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
        assertThat(info.agentVersion()).as("a later part's scalar wins").isEqualTo("second");
        assertThat(info.signedPeerRecord()).isNotNull();
        assertThat(info.publicKey()).isNull();
    }

    @Test
    void rejectsAPartOverEightKibibytesBeforeReadingIt() {
        // uvarint(8193) = 81 40, then a body that must never be read
        CountingInput in = new CountingInput(HEX.parseHex("8140" + "00".repeat(8193)));

        assertThatThrownBy(() -> IdentifyCodec.read(in))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify message part of 8193 bytes exceeds the 8192-byte limit");
        assertThat(in.consumed()).as("only the length prefix was read").isEqualTo(2);
    }

    @Test
    void rejectsAHugeDeclaredPartWithoutAllocatingIt() {
        // uvarint(2^40): far beyond any heap if it were allocated
        assertThatThrownBy(() -> readHex("808080808020"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify message part of 1099511627776 bytes exceeds the 8192-byte limit");
    }

    @Test
    void acceptsAPartOfExactlyEightKibibytes() throws Exception {
        String agent = "a".repeat(8192 - 3);
        String part = framed(IdentifyProtos.Identify.newBuilder().setAgentVersion(agent).build());

        assertThat(part).startsWith("8040");
        assertThat(readHex(part).agentVersion()).isEqualTo(agent);
    }

    @Test
    void rejectsMoreThanTenParts() {
        assertThatThrownBy(() -> readHex("00".repeat(11)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify message has more than 10 parts");
    }

    @Test
    void rejectsPartsOverTheTotalLimit() {
        // 8000-byte parts: agentVersion tag, uvarint(7997) = bd 3e, 7997 bytes
        String part = framed(IdentifyProtos.Identify.newBuilder().setAgentVersion("a".repeat(7997)).build());

        assertThatThrownBy(() -> readHex(part.repeat(9)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify message parts of 72000 bytes in total exceed the 65536-byte limit");
    }

    @Test
    void rejectsAPartCutShortByEndOfStream() {
        assertThatThrownBy(() -> readHex("0a" + "320b7061"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify stream ended after 4 of the 10 bytes of part 1");
    }

    /** Found by IdentifyCodecFuzzTest: the cut inside the length used to surface as a bare EOFException. */
    @Test
    void rejectsAStreamEndingInsideAPartLength() {
        assertThatThrownBy(() -> readHex("02" + "2a00" + "80"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify stream ended inside the length of part 2");
    }

    @Test
    void rejectsAMalformedPart() {
        // field 6 declares 11 bytes but the part holds 2
        assertThatThrownBy(() -> readHex("04" + "320b7061"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("identify message part 1 is malformed: ");
    }

    @Test
    void rejectsAnInvalidPublicKey() {
        // an Ed25519 PublicKey whose data is 3 bytes instead of 32
        assertThatThrownBy(() -> readHex("09" + "0a07" + "08011203010203"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("identify public key is invalid: ");
    }

    @Test
    void skipsListenAddressesThatAreNotMultiaddrs() throws Exception {
        String parts = framed(IdentifyProtos.Identify.newBuilder()
                .addListenAddrs(ByteString.fromHex("ffffffffffffffff"))
                .addListenAddrs(ByteString.fromHex("047f000001060fa1"))
                .addListenAddrs(ByteString.fromHex("047f0000"))
                .setObservedAddr(ByteString.fromHex("06"))
                .build());

        IdentifyInfo info = readHex(parts);

        assertThat(info.listenAddrs()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
        assertThat(info.observedAddr()).isNull();
    }

    @Test
    void ignoresASignedPeerRecordThatDoesNotVerify() throws Exception {
        byte[] envelope = HEX.parseHex(JS_SIGNED_PEER_RECORD);
        envelope[envelope.length - 1] ^= 1;
        String parts = framed(IdentifyProtos.Identify.newBuilder()
                .setAgentVersion("tampered")
                .setSignedPeerRecord(ByteString.copyFrom(envelope))
                .build());

        IdentifyInfo info = readHex(parts);

        assertThat(info.signedPeerRecord()).isNull();
        assertThat(info.agentVersion()).isEqualTo("tampered");
    }

    @Test
    void limitsTheNumberAndLengthOfProtocols() throws Exception {
        IdentifyProtos.Identify.Builder pb = IdentifyProtos.Identify.newBuilder()
                .addProtocols("/" + "x".repeat(1024))
                .addProtocols("")
                .addProtocols("/" + "y".repeat(1023));
        IntStream.range(0, 200).forEach(i -> pb.addProtocols("/p/" + i));

        IdentifyInfo info = IdentifyCodec.fromWire(pb.build());

        assertThat(info.protocols()).hasSize(IdentifyCodec.MAX_PROTOCOLS - 2);
        assertThat(info.protocols().getFirst()).isEqualTo("/" + "y".repeat(1023));
        assertThat(info.protocols().getLast()).isEqualTo("/p/124");
    }

    @Test
    void keepsAtMostTheListenAddressLimit() throws Exception {
        IdentifyProtos.Identify.Builder pb = IdentifyProtos.Identify.newBuilder();
        IntStream.range(0, 200).forEach(port -> pb.addListenAddrs(
                ByteString.copyFrom(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port).bytes())));

        assertThat(IdentifyCodec.fromWire(pb.build()).listenAddrs()).hasSize(IdentifyCodec.MAX_LISTEN_ADDRS);
    }

    @Test
    void writesAMessageThatFitsAsOnePart() throws Exception {
        assertThat(IdentifyCodec.encode(fullInfo())).hasSize(1);
    }

    @Test
    void splitsALargeMessageIntoPartsThatRustAccepts() throws Exception {
        List<String> protocols = IntStream.range(0, 100).mapToObj(i -> "/parley/protocol-number-" + i + "/1.0.0")
                .toList();
        List<Multiaddr> addresses = IntStream.range(0, 100)
                .mapToObj(i -> Multiaddr.parse("/ip6/2001:db8::" + Integer.toHexString(i + 1) + "/udp/4001/quic-v1"))
                .toList();
        IdentifyInfo info = new IdentifyInfo(fullInfo().publicKey(), addresses, protocols,
                fullInfo().observedAddr(), "ipfs/0.1.0", "parley/test", fullInfo().signedPeerRecord());

        List<byte[]> parts = IdentifyCodec.encode(info);

        assertThat(parts).hasSizeGreaterThan(2).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_PARTS);
        assertThat(parts).allSatisfy(part -> assertThat(part.length).isLessThanOrEqualTo(4096));
        IdentifyProtos.Identify first = IdentifyProtos.Identify.parseFrom(parts.getFirst());
        assertThat(first.hasPublicKey()).isTrue();
        assertThat(first.hasAgentVersion()).isTrue();
        assertThat(first.getProtocolsCount()).as("protocols go first, for readers of one part").isEqualTo(100);
        IdentifyProtos.Identify last = IdentifyProtos.Identify.parseFrom(parts.getLast());
        assertThat(last).isEqualTo(IdentifyProtos.Identify.newBuilder()
                .setSignedPeerRecord(ByteString.fromHex(JS_SIGNED_PEER_RECORD)).build());
        assertThat(IdentifyCodec.read(new ByteArrayInputStream(written(info)))).isEqualTo(info);
    }

    @Test
    void putsTheSignedPeerRecordInAPartOfItsOwnWhenOnlyItOverflows() throws Exception {
        List<String> protocols = new ArrayList<>();
        for (int i = 0; protocols.stream().mapToInt(p -> p.length() + 2).sum() < 3900; i++) {
            protocols.add("/parley/protocol-number-" + i + "/1.0.0");
        }
        IdentifyInfo info = new IdentifyInfo(SPEC_KEY.publicKey(), List.of(), protocols, null, null, null,
                fullInfo().signedPeerRecord());

        List<byte[]> parts = IdentifyCodec.encode(info);

        assertThat(parts).hasSize(2);
        assertThat(IdentifyProtos.Identify.parseFrom(parts.get(0)).hasSignedPeerRecord()).isFalse();
        assertThat(IdentifyProtos.Identify.parseFrom(parts.get(1)).getSignedPeerRecord())
                .isEqualTo(ByteString.fromHex(JS_SIGNED_PEER_RECORD));
    }

    /** Counts the bytes a reader took. */
    private static final class CountingInput extends ByteArrayInputStream {
        CountingInput(byte[] bytes) {
            super(bytes);
        }

        int consumed() {
            return pos;
        }
    }
}
