package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.dht.host.HostNodes.CONFIG;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.dht.host.HostNodes.Node;
import org.parley.dht.net.KadTimeoutException;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadCodec;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.dht.rpc.pb.KadProtos;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

/**
 * Java DHT nodes on loopback among peers that misbehave on the wire: silent after the TCP
 * handshake, oversized or undecodable answers, closer peers with broken ids and addresses. Each
 * costs at most one request timeout and never the lookup.
 */
@Timeout(60)
class HostKadNetworkFaultsTest {

    private final HostNodes nodes = new HostNodes();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    @Test
    void aPeerThatAcceptsTcpButNeverAnswersCostsOneTimeoutDialIncluded() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> closedByUs = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> readUntilClosed(silent, closedByUs));
            // The host's own handshake limit is far away: only the kad timeout can end the dial.
            Host host = nodes.host(HostLimits.defaults().withHandshakeTimeout(Duration.ofHours(1)));
            HostKadNetwork network = nodes.keep(new HostKadNetwork(host));
            PeerRef ghost = new PeerRef(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()),
                    List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort())));

            assertThatThrownBy(() -> network.request(ghost, KadMessage.findNode(ghost.id().bytes()),
                    Duration.ofMillis(300)))
                    .isInstanceOf(KadTimeoutException.class)
                    .hasMessage("no kad answer from " + ghost.id() + " within PT0.3S");
            closedByUs.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSilentBootstrapPeerCostsOneTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> readUntilClosed(silent, new CompletableFuture<>()));
            Node node = nodes.node(CONFIG.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
            PeerRef ghost = new PeerRef(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()),
                    List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort())));
            assertThatThrownBy(() -> node.network().connect(ghost, Duration.ofMillis(300)))
                    .isInstanceOf(KadTimeoutException.class)
                    .hasMessage("no connection to " + ghost.id() + " within PT0.3S");
            assertThat(node.dht().bootstrap(List.of(ghost))).isZero();
        }
    }

    @Test
    void lookupsSkipJunkCloserPeersAndSurviveOversizedAndUndecodableAnswers() throws Exception {
        List<Node> honest = nodes.network(3);
        Host oversized = junkServer(request -> Varint.encode(KadProtocol.MAX_MESSAGE_BYTES + 1L));
        Host undecodable = junkServer(request -> LengthPrefixed.frame(new byte[] {(byte) 0xff, (byte) 0xff, 1}));
        Node named = honest.get(2);
        Host junkPeers = junkServer(request -> LengthPrefixed.frame(KadProtos.Message.newBuilder()
                .setTypeValue(request.type().number())
                .setKey(ByteString.copyFrom(request.key()))
                .addCloserPeers(KadProtos.Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {1, 2, 3})))
                .addCloserPeers(KadProtos.Message.Peer.newBuilder()
                        .setId(ByteString.copyFrom(named.id().bytes()))
                        .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f}))
                        .addAddrs(ByteString.copyFrom(named.host().listenAddresses().getFirst().bytes())))
                .build().toByteArray()));

        Node asker = nodes.node(CONFIG);
        asker.dht().bootstrap(List.of(honest.get(0).ref(), ref(oversized), ref(undecodable), ref(junkPeers)));

        assertThat(asker.dht().findPeer(honest.get(1).id()).peer()).isPresent();
        List<PeerId> closest = asker.dht().closestPeers(named.id().bytes()).peers().stream().map(PeerRef::id).toList();
        assertThat(closest).containsAll(honest.stream().map(Node::id).toList()).contains(junkPeers.peerId())
                .doesNotContain(oversized.peerId(), undecodable.peerId());
        assertThat(asker.dht().routingTable().find(oversized.peerId())).as("evicted after failing twice").isEmpty();
        assertThat(asker.dht().routingTable().find(undecodable.peerId())).isEmpty();
    }

    /** What a junk server writes in answer to one request. */
    @FunctionalInterface
    private interface JunkAnswer {
        byte[] bytes(KadMessage request) throws IOException;
    }

    /** A host that lists the kad protocol and answers every kad request with {@code answer}'s bytes. */
    private Host junkServer(JunkAnswer answer) throws Exception {
        Host host = nodes.host(HostLimits.defaults());
        host.setHandler(KadProtocol.PROTOCOL_ID, stream -> {
            for (KadMessage request = KadCodec.read(stream.in()); request != null; request = KadCodec.read(stream.in())) {
                stream.out().write(answer.bytes(request));
                stream.out().flush();
            }
        });
        return host;
    }

    private static PeerRef ref(Host host) {
        return new PeerRef(host.peerId(), host.listenAddresses());
    }

    /** Accepts one connection and reads (never writing) until the other side closes it. */
    private static void readUntilClosed(ServerSocket server, CompletableFuture<Void> closed) {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            in.transferTo(ignored);
            closed.complete(null);
        } catch (IOException e) {
            closed.complete(null);
        }
    }
}
