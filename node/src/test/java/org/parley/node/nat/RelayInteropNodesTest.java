package org.parley.node.nat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.testing.CliRun;

/**
 * Circuit relay v2 between whole Parley nodes and js-libp2p ({@code @libp2p/circuit-relay-v2}):
 * a js relay that two nodes reserve at and reach each other through, and a node running the relay
 * service for two js peers.
 */
@Tag("interop")
class RelayInteropNodesTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    @TempDir
    Path firstDir;

    @TempDir
    Path secondDir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void twoNodesReservedAtAJsRelayReachEachOtherThroughIt() throws Exception {
        JsPeer relay = JsPeer.builder().name("js-relay").relayServer().start();
        open.add(relay);
        Multiaddr viaRelay = relay.addr().encapsulate(CIRCUIT);
        ParleyNode target = start(firstDir, List.of(LOOPBACK_RANDOM_PORT, viaRelay), RelayServicePolicy.OFF);
        start(secondDir, List.of(LOOPBACK_RANDOM_PORT), RelayServicePolicy.OFF);
        String targetViaRelay = viaRelay.withPeerId(target.host().peerId()).toString();

        JsonNode ping = CliRun.json(secondDir, "ping", targetViaRelay, "--count", "1");

        assertThat(ping.get("peerId").asText()).isEqualTo(target.host().peerId().toBase58());
        assertThat(ping.get("rttMs")).hasSize(1);
        JsonNode peer = peer(CliRun.json(secondDir, "peers"), target.host().peerId().toBase58());
        assertThat(peer.get("transport").asText()).isEqualTo("relayed");
        assertThat(peer.get("limited").asBoolean()).isTrue();
    }

    @Test
    void aNodeRunningTheRelayServiceConnectsTwoJsPeers() throws Exception {
        ParleyNode relay = start(firstDir, List.of(LOOPBACK_RANDOM_PORT), RelayServicePolicy.ON);
        Multiaddr viaRelay = relay.dialableAddresses().getFirst().encapsulate(CIRCUIT);
        JsPeer target = JsPeer.builder().name("js-target").relayClient().listen("/ip4/127.0.0.1/tcp/0")
                .listen(viaRelay.toString()).start();
        open.add(target);
        JsPeer dialer = JsPeer.builder().name("js-dialer").relayClient().start();
        open.add(dialer);

        assertThat(target.command("addrs", Map.of()).path("addrs").toString())
                .contains(viaRelay.withPeerId(target.peerId()).toString());
        JsonNode dialed = dialer.dial(viaRelay.withPeerId(target.peerId()));

        assertThat(dialed.path("peer").asText()).isEqualTo(target.peerId().toString());
        assertThat(dialed.path("limited").asBoolean()).isTrue();
        dialer.echo(target.peerId(), 4096, 1);
        assertThat(dialer.ping(target.peerId())).isNotNegative();
    }

    private static JsonNode peer(JsonNode peers, String peerId) {
        for (JsonNode peer : peers.get("peers")) {
            if (peer.get("peerId").asText().equals(peerId)) {
                return peer;
            }
        }
        throw new AssertionError(peerId + " is not among the connected peers: " + peers);
    }

    /**
     * A node without WebRTC: with it, two nodes that met through the relay upgrade to a direct
     * connection at once (RelayedNodesTest shows that), and this test is about the js relay.
     */
    private ParleyNode start(Path dir, List<Multiaddr> listen, RelayServicePolicy relayService) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, List.of(), 0, ModePolicy.SERVER,
                null, relayService), ParleyNode.defaultFeatures(), InstantSource.system(),
                () -> new WebRtcSupport.Status(false, "this test is about the js relay alone"));
        open.add(node);
        return node;
    }
}
