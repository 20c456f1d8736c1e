package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.cli.ExitCode;
import org.parley.node.identity.UserRendezvous;
import org.parley.node.testing.CliRun;

/**
 * Two whole nodes in this JVM on loopback TCP, driven through the CLI and the HTTP API as a user
 * would: the second bootstraps from the first's printed address.
 */
class TwoNodesTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path dirC;

    private final List<ParleyNode> nodes = new ArrayList<>();
    private ParleyNode a;
    private ParleyNode b;

    @BeforeEach
    void startTwoNodes() throws Exception {
        a = start(dirA, List.of());
        b = startBootstrappedFrom(dirB, a);
    }

    /**
     * Starts a node that bootstraps from {@code first} and returns once each has identified the
     * other, so both routing tables hold the other node.
     */
    private ParleyNode startBootstrappedFrom(Path dir, ParleyNode first) throws Exception {
        ParleyNode node = start(dir, List.of(first.dialableAddresses().getFirst()));
        awaitIdentified(node, first.host().peerId());
        awaitIdentified(first, node.host().peerId());
        return node;
    }

    /** Waits until {@code node} has identified {@code peer} (or had done so already). */
    private static void awaitIdentified(ParleyNode node, PeerId peer) throws InterruptedException {
        CountDownLatch identified = new CountDownLatch(1);
        try (Subscription ignored = node.host().subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified id && id.peer().equals(peer)) {
                identified.countDown();
            }
        })) {
            if (!node.host().connections(peer).isEmpty() && !node.host().peerstore().protocols(peer).isEmpty()) {
                identified.countDown();
            }
            assertThat(identified.await(20, TimeUnit.SECONDS)).as(node.host().peerId() + " identified " + peer).isTrue();
        }
    }

    @AfterEach
    void stop() {
        // Newest first, so no node sees its bootstrap peer leave and starts redialing.
        nodes.reversed().forEach(ParleyNode::close);
    }

    @Test
    void printsPeerIdListenAddressesAndApiUrlInTheDocumentedFormat() {
        StringWriter out = new StringWriter();
        a.printStartup(new PrintWriter(out));

        String peer = a.host().peerId().toBase58();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("peer-id: " + peer);
        assertThat(lines.get(1)).isEqualTo("rendezvous: "
                + Base58.encode(UserRendezvous.key(a.host().peerId().inlinedPublicKey())));
        assertThat(lines.get(2)).isEqualTo("user-id: " + a.userId().orElseThrow().text());
        assertThat(lines.subList(3, lines.size() - 2))
                .isNotEmpty()
                .allMatch(line -> line.matches("listen: /ip4/127\\.0\\.0\\.1/tcp/[1-9][0-9]*/p2p/" + peer));
        assertThat(lines.get(lines.size() - 2))
                .isEqualTo("api: http://127.0.0.1:" + a.apiEndpoint().port() + "/?token=" + a.apiEndpoint().token());
        assertThat(lines.getLast()).isEqualTo("ready");
    }

    @Test
    void idPrintsThePeerIdAndFullAddresses() throws Exception {
        JsonNode id = CliRun.json(dirB, "id");

        assertThat(id.get("peerId").asText()).isEqualTo(b.host().peerId().toBase58());
        assertThat(id.get("rendezvousKey").asText())
                .isEqualTo(Base58.encode(UserRendezvous.key(b.host().peerId().inlinedPublicKey())));
        assertThat(id.get("agentVersion").asText()).isEqualTo("parley/" + ParleyVersion.version());
        assertThat(id.get("addresses")).isNotEmpty();
        assertThat(id.get("addresses").get(0).asText()).endsWith("/p2p/" + b.host().peerId().toBase58());
        assertThat(id.get("protocols")).extracting(JsonNode::asText).contains("/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
    }

    @Test
    void peersListsTheBootstrapPeerWithAgentAndProtocols() throws Exception {
        JsonNode peers = CliRun.json(dirB, "peers").get("peers");

        assertThat(peers).hasSize(1);
        JsonNode peer = peers.get(0);
        assertThat(peer.get("peerId").asText()).isEqualTo(a.host().peerId().toBase58());
        assertThat(peer.get("direction").asText()).isEqualTo("outbound");
        assertThat(peer.get("agentVersion").asText()).isEqualTo("parley/" + ParleyVersion.version());
        assertThat(peer.get("protocols")).extracting(JsonNode::asText).contains("/ipfs/ping/1.0.0");
        assertThat(peer.get("addresses").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");
        assertThat(peer.has("latencyMs")).isTrue();
        assertThat(peer.get("transport").asText()).isEqualTo("tcp");
        assertThat(peer.get("limited").asBoolean()).isFalse();
    }

    @Test
    void pingsAConnectedPeerByPeerId() throws Exception {
        JsonNode ping = CliRun.json(dirB, "ping", a.host().peerId().toBase58(), "--count", "3");

        assertThat(ping.get("peerId").asText()).isEqualTo(a.host().peerId().toBase58());
        assertThat(ping.get("count").asInt()).isEqualTo(3);
        assertThat(ping.get("rttMs")).hasSize(3).allMatch(rtt -> rtt.asDouble() > 0);
        assertThat(ping.get("averageMs").asDouble()).isPositive();
    }

    @Test
    void connectsToAMultiaddrAndPingsByMultiaddr() throws Exception {
        start(dirC, List.of());
        String addressOfA = a.dialableAddresses().getFirst().toString();

        JsonNode connected = CliRun.json(dirC, "connect", addressOfA);
        JsonNode ping = CliRun.json(dirC, "ping", addressOfA, "--count", "1");

        assertThat(connected.get("peerId").asText()).isEqualTo(a.host().peerId().toBase58());
        assertThat(connected.get("address").asText()).isEqualTo(addressOfA);
        assertThat(ping.get("rttMs")).hasSize(1);
    }

    @Test
    void pingsInTextByDefault() {
        CliRun run = CliRun.run(dirB, "ping", a.host().peerId().toBase58(), "-c", "1");

        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).matches("(?s)pong from " + a.host().peerId().toBase58() + ": [0-9.]+ ms\naverage: [0-9.]+ ms\n");
    }

    @Test
    void connectToAnUnreachableAddressFailsWithTheAddressInTheMessage() {
        PeerId nobody = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        CliRun run = CliRun.run(dirB, "connect", "/ip4/127.0.0.1/tcp/1/p2p/" + nobody);

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).startsWith("parley connect: cannot connect to /ip4/127.0.0.1/tcp/1/p2p/" + nobody + ": ");
    }

    @Test
    void aBadMultiaddrIsReportedAsSuch() {
        CliRun run = CliRun.run(dirB, "connect", "/ip4/127.0.0.1/tpc/1");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).startsWith("parley connect: bad multiaddr '/ip4/127.0.0.1/tpc/1': ");
    }

    @Test
    void peersReportsTheConnectionManagersLimitsAndCounters() throws Exception {
        JsonNode connections = CliRun.json(dirB, "peers").get("connections");
        HostLimits limits = HostLimits.defaults();

        assertThat(connections.get("open").asInt()).isEqualTo(b.host().connections().size());
        assertThat(connections.get("max").asInt()).isEqualTo(limits.maxConnections());
        assertThat(connections.get("highWater").asInt()).isEqualTo(limits.effectiveHighWater());
        assertThat(connections.get("lowWater").asInt()).isEqualTo(limits.effectiveLowWater());
        assertThat(connections.get("refused").properties()).extracting(Map.Entry::getKey)
                .containsExactly("host_full", "peer_full", "handshakes_per_ip", "handshakes_full");
        assertThat(connections.get("closed").properties()).extracting(Map.Entry::getKey)
                .containsExactly("trimmed_above_high_water", "trimmed_for_newcomer", "handshake_gave_way",
                        "handshake_too_slow_under_pressure");
        assertThat(connections.get("peerFaults").asLong()).isZero();
        CliRun text = CliRun.run(dirB, "peers");
        assertThat(text.out()).contains("connections: " + b.host().connections().size() + " open");
    }

    @Test
    void routingTableHoldsTheBootstrapPeer() throws Exception {
        JsonNode table = CliRun.json(dirB, "dht", "routing-table");

        assertThat(table.get("mode").asText()).isEqualTo("server");
        List<String> peers = new ArrayList<>();
        table.get("buckets").forEach(bucket -> bucket.get("peers").forEach(p -> peers.add(p.get("peerId").asText())));
        assertThat(peers).contains(a.host().peerId().toBase58());
    }

    @Test
    void findsAPeerItNeverMetThroughTheDht() throws Exception {
        ParleyNode c = startBootstrappedFrom(dirC, a);

        JsonNode found = CliRun.json(dirB, "dht", "find-peer", c.host().peerId().toBase58());
        JsonNode ping = CliRun.json(dirB, "ping", c.host().peerId().toBase58(), "--count", "1");

        assertThat(found.get("peerId").asText()).isEqualTo(c.host().peerId().toBase58());
        assertThat(found.get("addresses")).extracting(JsonNode::asText)
                .contains(c.dialableAddresses().getFirst().toString());
        assertThat(ping.get("peerId").asText()).isEqualTo(c.host().peerId().toBase58());
    }

    @Test
    void providesOnOneNodeAndFindsTheProviderFromAnother() throws Exception {
        JsonNode provided = CliRun.json(dirA, "dht", "provide", "self");
        JsonNode providers = CliRun.json(dirB, "dht", "providers", provided.get("key").asText());

        assertThat(provided.get("announcedTo").asInt()).isPositive();
        assertThat(providers.get("providers")).extracting(p -> p.get("peerId").asText())
                .contains(a.host().peerId().toBase58());
    }

    @Test
    void putsARecordOnOneNodeAndGetsItFromAnother() throws Exception {
        CliRun.json(dirA, "dht", "put", "/parley/self/greeting", "hello from A");

        JsonNode got = CliRun.json(dirB, "dht", "get", "/parley/" + a.host().peerId() + "/greeting");

        assertThat(got.get("value").asText()).isEqualTo("hello from A");
    }

    @Test
    void aSecondNodeOnTheSameDataDirRefusesToStart() {
        assertThatThrownBy(() -> start(dirA, List.of()))
                .hasMessageStartingWith("another node is already running with data dir " + dirA + " (pid "
                        + ProcessHandle.current().pid() + ")");
    }

    @Test
    void keepsItsKeyAcrossRestartsAndRemovesApiJsonWhenStopped() throws Exception {
        PeerId before = a.host().peerId();
        assertThat(dirA.resolve("api.json")).exists();

        a.close();
        nodes.remove(a);

        assertThat(dirA.resolve("api.json")).doesNotExist();
        ParleyNode again = start(dirA, List.of());
        assertThat(again.host().peerId()).isEqualTo(before);
    }

    private ParleyNode start(Path dir, List<Multiaddr> bootstrap) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(LOOPBACK_RANDOM_PORT), bootstrap,
                0, ModePolicy.SERVER));
        nodes.add(node);
        return node;
    }
}
