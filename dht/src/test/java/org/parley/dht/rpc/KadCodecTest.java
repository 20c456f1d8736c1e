package org.parley.dht.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.pb.KadProtos;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

class KadCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final PeerId SPEC_PEER = PeerId.parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
    private final TestPeers peers = new TestPeers(11);

    @Test
    void encodesFindNodeAsInTheSpecExample() throws IOException {
        // docs/libp2p-wire.md §8: 2a is the uvarint length (42), then type=FIND_NODE, key=PeerId.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KadCodec.write(out, KadMessage.findNode(SPEC_PEER.bytes()));
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(
                "2a" + "0804" + "1226" + "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
    }

    @Test
    void putValueTypeAndNotConnectedAreAbsentOnTheWire() throws PeerFaultException {
        byte[] bytes = KadCodec.encode(KadMessage.putValue(new KadRecord(new byte[] {'k'}, new byte[] {'v'})));
        assertThat(HEX.formatHex(bytes)).isEqualTo("12016b" + "1a06" + "0a016b" + "120176");

        PeerRef peer = new PeerRef(SPEC_PEER, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")));
        byte[] answer = KadCodec.encode(KadMessage.findNode(new byte[] {1}).response(null, List.of(peer), List.of()));
        assertThat(HEX.formatHex(answer)).isEqualTo("0804" + "120101" + "4232"
                + "0a26" + "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
                + "1208" + "047f000001060fa1");
        assertThat(KadCodec.decode(answer).closerPeers()).containsExactly(peer);
    }

    @Test
    void anAbsentTypeReadsAsPutValue() throws PeerFaultException {
        assertThat(KadCodec.decode(HEX.parseHex("12016b")).type()).isEqualTo(KadMessage.Type.PUT_VALUE);
        assertThat(KadCodec.decode(new byte[0]).type()).isEqualTo(KadMessage.Type.PUT_VALUE);
    }

    @Test
    void roundTripsEveryField() throws PeerFaultException {
        PeerRef a = peers.peer();
        PeerRef b = new PeerRef(peers.id(), List.of());
        KadMessage m = new KadMessage(KadMessage.Type.GET_VALUE, new byte[] {'/', 'p', 'k', '/', 1},
                new KadRecord(new byte[] {1, 2}, new byte[] {3}, "2025-01-01T00:00:00Z"), List.of(a, b), List.of(b));
        assertThat(KadCodec.decode(KadCodec.encode(m))).isEqualTo(m);
        assertThat(KadCodec.decode(KadCodec.encode(KadMessage.ping()))).isEqualTo(KadMessage.ping());
    }

    @Test
    void skipsCloserPeersWithABadIdAndDropsBadAddresses() throws PeerFaultException {
        PeerRef good = peers.peer();
        PeerId other = peers.id();
        byte[] bytes = KadProtos.Message.newBuilder()
                .setType(KadProtos.Message.MessageType.FIND_NODE)
                .addCloserPeers(KadProtos.Message.Peer.newBuilder().setId(ByteString.copyFromUtf8("junk id"))
                        .addAddrs(ByteString.copyFrom(good.addrs().getFirst().bytes())))
                .addCloserPeers(KadProtos.Message.Peer.newBuilder().setId(ByteString.copyFrom(good.id().bytes()))
                        .addAddrs(ByteString.copyFrom(good.addrs().getFirst().bytes())))
                .addCloserPeers(KadProtos.Message.Peer.newBuilder().setId(ByteString.copyFrom(other.bytes()))
                        .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 1}))
                        .addAddrs(ByteString.copyFrom(good.addrs().getFirst().bytes()))
                        .addAddrs(ByteString.copyFrom(good.addrs().getFirst().bytes())))
                .addCloserPeers(KadProtos.Message.Peer.newBuilder())
                .build().toByteArray();
        KadMessage m = KadCodec.decode(bytes);
        assertThat(m.closerPeers()).containsExactly(good, new PeerRef(other, good.addrs()));
    }

    /**
     * Regression (found by fuzzing): de-duplicating addresses in a list made decoding quadratic, so
     * one reply with 40,000 addresses for a peer cost most of a minute of CPU.
     */
    @Test
    void keepsABoundedNumberOfDistinctAddressesPerPeerAndPeersPerList() throws PeerFaultException {
        PeerRef good = peers.peer();
        KadProtos.Message.Peer.Builder flooded = KadProtos.Message.Peer.newBuilder()
                .setId(ByteString.copyFrom(good.id().bytes()));
        ByteString repeated = ByteString.copyFrom(good.addrs().getFirst().bytes());
        flooded.addAddrs(repeated).addAddrs(repeated);
        for (int i = 0; i < 40_000; i++) {
            flooded.addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/10.0." + (i >> 8 & 0xff) + "." + (i & 0xff)
                    + "/tcp/" + (1000 + i / 65_536)).bytes()));
        }
        KadProtos.Message.Builder message = KadProtos.Message.newBuilder()
                .setType(KadProtos.Message.MessageType.FIND_NODE)
                .addCloserPeers(flooded);
        for (int i = 0; i < KadCodec.MAX_PEERS_PER_LIST + 100; i++) {
            message.addProviderPeers(KadProtos.Message.Peer.newBuilder().setId(ByteString.copyFrom(peers.id().bytes())));
        }

        KadMessage m = KadCodec.decode(message.build().toByteArray());

        List<Multiaddr> kept = m.closerPeers().getFirst().addrs();
        assertThat(kept).hasSize(KadCodec.MAX_ADDRS_PER_PEER).doesNotHaveDuplicates();
        assertThat(kept.getFirst()).isEqualTo(good.addrs().getFirst());
        assertThat(m.providerPeers()).hasSize(KadCodec.MAX_PEERS_PER_LIST);
    }

    @Test
    void refusesADeclaredLengthOverFourMebibytesBeforeReadingIt() {
        // Only the prefix is there: reading the body would fail differently.
        byte[] prefix = Varint.encode(KadProtocol.MAX_MESSAGE_BYTES + 1L);
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(prefix)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("kad message of 4194305 bytes exceeds the 4194304-byte limit");
    }

    @Test
    void refusesAnOversizedMessageInEveryPath() {
        assertThatThrownBy(() -> KadCodec.decode(new byte[KadProtocol.MAX_MESSAGE_BYTES + 1]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("kad message of 4194305 bytes exceeds the 4194304-byte limit");
        KadMessage huge = KadMessage.putValue(new KadRecord(new byte[] {1}, new byte[KadProtocol.MAX_MESSAGE_BYTES]));
        assertThatThrownBy(() -> KadCodec.write(new ByteArrayOutputStream(), huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kad message of 4194320 bytes exceeds the 4194304-byte limit");
    }

    @Test
    void readsSeveralMessagesFromOneStreamAndThenEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KadCodec.write(out, KadMessage.findNode(new byte[] {1}));
        KadCodec.write(out, KadMessage.getProviders(new byte[] {2}));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(KadCodec.read(in)).isEqualTo(KadMessage.findNode(new byte[] {1}));
        assertThat(KadCodec.read(in)).isEqualTo(KadMessage.getProviders(new byte[] {2}));
        assertThat(KadCodec.read(in)).isNull();
    }

    @Test
    void refusesAnUnknownMessageTypeAndMalformedBytes() {
        assertThatThrownBy(() -> KadCodec.decode(HEX.parseHex("0809")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("unknown kad message type 9; expected 0 to 5");
        assertThatThrownBy(() -> KadCodec.decode(HEX.parseHex("12ff")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("malformed kad message: ");
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(HEX.parseHex("0508"))))
                .isInstanceOf(java.io.EOFException.class)
                .hasMessage("stream ended after 1 of 5 kad message bytes");
    }
}
