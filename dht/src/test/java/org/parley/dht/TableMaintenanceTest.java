package org.parley.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.dht.sim.SimNetwork;
import org.parley.dht.testing.ManualClock;
import org.parley.dht.testing.ManualExecutor;
import org.parley.dht.testing.SimNodes;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * Routing-table upkeep of a real node on the in-memory network, with a manual clock and background
 * work run when the test says: liveness checks of full buckets, eviction after failed requests,
 * bootstrap from multiaddrs and joining again when the table runs empty.
 */
class TableMaintenanceTest {

    /** Buckets of two, so that two peers fill one. */
    private static final DhtConfig SMALL_BUCKETS = SimNodes.testConfig().withK(2);
    /** Past the liveness check age, so every entry added at the start is stale. */
    private static final Duration LATER = DhtConfig.DEFAULT_LIVENESS_CHECK_AGE.plusMinutes(1);

    private final SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
    private final ManualClock clock = new ManualClock();
    private final ManualExecutor background = new ManualExecutor();
    private final TestPeers peers = new TestPeers(31);
    private final PeerRef self = peers.peer();

    /** Our node. */
    private KadDht node(DhtConfig config) {
        KadDht dht = KadDht.builder(self.id(), network.attach(self)).config(config).clock(clock)
                .backgroundExecutor(background).build();
        start(dht);
        return dht;
    }

    /** A DHT server at {@code ref} (running the real code) on the same network. */
    private KadDht server(PeerRef ref, DhtConfig config) {
        SimNetwork.Endpoint endpoint = network.attach(ref);
        KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).clock(clock).build();
        endpoint.onPeerIdentified(dht::peerIdentified);
        start(dht);
        return dht;
    }

    /** A server sharing no prefix bit with us: it belongs in our bucket 0. */
    private PeerRef serverInBucketZero() {
        PeerRef ref = peers.peerWithCpl(self.kadId(), 0);
        server(ref, SimNodes.testConfig());
        return ref;
    }

    /** Fills {@code dht}'s bucket 0 (of two) with new servers, the first heard from a second earlier. */
    private List<PeerRef> fillBucketZero(KadDht dht) {
        PeerRef first = serverInBucketZero();
        PeerRef second = serverInBucketZero();
        dht.peerIdentified(first, true);
        clock.advance(Duration.ofSeconds(1));
        dht.peerIdentified(second, true);
        return List.of(first, second);
    }

    @Test
    void aStaleEntryThatAnswersKeepsItsSlotAndTheNewcomerWaits() {
        KadDht dht = node(SMALL_BUCKETS);
        List<PeerRef> bucket = fillBucketZero(dht);
        PeerRef old = bucket.get(0);
        PeerRef other = bucket.get(1);

        PeerRef early = serverInBucketZero();
        dht.peerIdentified(early, true);
        assertThat(background.pending()).as("entries heard from recently are not checked").isZero();

        clock.advance(LATER);
        PeerRef newcomer = serverInBucketZero();
        dht.peerIdentified(newcomer, true);
        assertThat(background.runAll()).isEqualTo(1);
        RoutingTable table = dht.routingTable();
        assertThat(table.peers()).containsExactlyInAnyOrder(old, other);
        assertThat(table.replacements(0)).containsExactly(early, newcomer);
        assertThat(table.entries()).filteredOn(e -> e.peer().equals(old)).singleElement()
                .satisfies(e -> assertThat(e.lastSeen()).as("the answer refreshed it").isEqualTo(clock.instant()));

        PeerRef another = serverInBucketZero();
        dht.peerIdentified(another, true);
        assertThat(background.runAll()).as("now the other entry is the stalest").isEqualTo(1);
        assertThat(table.peers()).containsExactlyInAnyOrder(old, other);
    }

    @Test
    void aStaleEntryThatDoesNotAnswerMakesRoomForTheNewestWaitingPeer() {
        KadDht dht = node(SMALL_BUCKETS);
        List<PeerRef> bucket = fillBucketZero(dht);
        PeerRef gone = bucket.get(0);
        PeerRef other = bucket.get(1);
        network.endpoint(gone.id()).setDown(true);

        clock.advance(LATER);
        PeerRef newcomer = serverInBucketZero();
        dht.peerIdentified(newcomer, true);
        background.runAll();
        assertThat(dht.routingTable().peers()).containsExactlyInAnyOrder(other, newcomer);
        assertThat(dht.routingTable().replacements(0)).isEmpty();
    }

    @Test
    void requestsThatFailTwiceInARowEvictAPeerAndPromoteAWaitingOne() {
        KadDht dht = node(SMALL_BUCKETS);
        List<PeerRef> bucket = fillBucketZero(dht);
        PeerRef flaky = bucket.get(0);
        PeerRef other = bucket.get(1);
        PeerRef waiting = serverInBucketZero();
        dht.peerIdentified(waiting, true);
        network.endpoint(flaky.id()).setDown(true);

        byte[] key = flaky.id().bytes();
        assertThat(dht.closestPeers(key).peers()).containsExactly(other);
        assertThat(dht.routingTable().peers()).as("one failure is forgiven").contains(flaky);
        assertThat(dht.closestPeers(key).peers()).containsExactly(other);
        assertThat(dht.routingTable().peers()).containsExactlyInAnyOrder(other, waiting);
        assertThat(background.pending()).as("no liveness check was needed").isZero();
    }

    @Test
    void bootstrapsFromMultiaddrsAdmittingOnlyDhtServers() throws IOException {
        List<PeerRef> servers = List.of(peers.peer(), peers.peer(), peers.peer(), peers.peer());
        for (PeerRef s : servers) {
            server(s, SimNodes.testConfig());
        }
        for (PeerRef s : servers.subList(1, 4)) {
            network.endpoint(s.id()).connect(servers.getFirst(), Duration.ofSeconds(1));
        }
        PeerRef client = peers.peer();
        server(client, SimNodes.testConfig().withMode(DhtConfig.ModePolicy.CLIENT));
        PeerRef absent = peers.peer();
        KadDht dht = node(SimNodes.testConfig().withBootstrap(List.of(multiaddr(servers.getFirst()),
                multiaddr(client), multiaddr(absent), multiaddr(self))));

        assertThat(dht.bootstrap()).isEqualTo(4);
        assertThat(dht.routingTable().peers()).as("the self lookup found the bootstrap peer's neighbours")
                .containsExactlyInAnyOrderElementsOf(servers);
    }

    @Test
    void joinsAgainThroughTheBootstrapPeersWhenTheTableRunsEmpty() {
        PeerRef entry = peers.peer();
        server(entry, SimNodes.testConfig());
        KadDht dht = node(SimNodes.testConfig().withBootstrap(List.of(multiaddr(entry))));
        assertThat(dht.bootstrap()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        dht.peerIdentified(entry, false);
        assertThat(dht.routingTable().size()).isZero();
        assertThat(background.runAll()).isEqualTo(1);
        assertThat(dht.routingTable().peers()).containsExactly(entry);

        dht.peerIdentified(entry, false);
        assertThat(background.pending()).as("not again within a minute of the last join").isZero();
        dht.maintain();
        assertThat(dht.routingTable().peers()).as("the maintenance tick joins again").containsExactly(entry);
    }

    private static Multiaddr multiaddr(PeerRef peer) {
        return peer.addrs().getFirst().withPeerId(peer.id());
    }

    private static void start(KadDht dht) {
        try {
            dht.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
