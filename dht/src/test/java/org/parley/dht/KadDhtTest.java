package org.parley.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.routing.AddressScope;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTableFile;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadRecord;
import org.parley.dht.sim.SimNetwork;
import org.parley.dht.testing.SimNodes;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiformats.Multihash;

class KadDhtTest {

    @TempDir
    Path dir;

    @Test
    void findsAPeerItNeverTalkedTo() {
        SimNodes net = SimNodes.create(60, 1, SimNodes.testConfig());
        for (int i = 0; i < 20; i++) {
            KadDht asker = net.nodes.get(i);
            PeerRef target = net.refs.get(59 - i);
            FindPeerResult r = asker.findPeer(target.id());
            assertThat(r.peer()).contains(target);
            assertThat(r.stats().rounds()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void closestPeersAreTheKClosestOfTheWholeNetwork() {
        SimNodes net = SimNodes.create(60, 2, SimNodes.testConfig());
        byte[] key = Multihash.sha256(new byte[] {7}).bytes();
        List<PeerRef> expected = new ArrayList<>(net.refs);
        KadId target = KadId.ofKey(key);
        expected.sort((a, b) -> target.compareDistance(a.kadId(), b.kadId()));
        List<PeerRef> found = net.nodes.get(3).closestPeers(key).peers();
        List<PeerRef> expectedWithoutAsker = expected.stream().filter(p -> !p.equals(net.refs.get(3))).toList();
        assertThat(found).containsExactlyElementsOf(expectedWithoutAsker.subList(0, 20));
    }

    @Test
    void providersAreFoundAndStreamedAsTheyArrive() {
        SimNodes net = SimNodes.create(50, 3, SimNodes.testConfig());
        byte[] key = Multihash.sha256(Ed25519PrivateKey.generate().publicKey().marshal()).bytes();
        assertThat(net.nodes.get(10).provide(key)).isEqualTo(20);
        assertThat(net.nodes.get(11).provide(key)).isEqualTo(20);
        List<PeerRef> streamed = new ArrayList<>();
        ProvidersResult r = net.nodes.get(40).findProviders(key, 10, streamed::add);
        assertThat(streamed).extracting(PeerRef::id).containsExactlyInAnyOrder(net.refs.get(10).id(), net.refs.get(11).id());
        assertThat(r.providers()).containsExactlyElementsOf(streamed);
        assertThat(streamed).allSatisfy(p -> assertThat(p.addrs()).isNotEmpty());
        ProvidersResult one = net.nodes.get(41).findProviders(key, 1, p -> { });
        assertThat(one.providers()).hasSize(1);
    }

    @Test
    void providersAreRepublishedUntilStoppedAndThenExpire() {
        SimNodes net = SimNodes.create(30, 4, SimNodes.testConfig());
        byte[] key = Multihash.sha256(new byte[] {4}).bytes();
        KadDht provider = net.nodes.get(5);
        provider.provide(key);
        net.clock.advance(Duration.ofHours(23));
        provider.maintain();
        net.clock.advance(Duration.ofHours(30));
        assertThat(net.nodes.get(20).findProviders(key, 5, p -> { }).providers())
                .as("53 h after the first announcement, kept alive by the 22 h republish")
                .extracting(PeerRef::id).containsExactly(net.refs.get(5).id());
        provider.stopProviding(key);
        net.clock.advance(Duration.ofHours(49));
        net.nodes.forEach(KadDht::maintain);
        assertThat(net.nodes.get(20).findProviders(key, 5, p -> { }).providers()).isEmpty();
    }

    @Test
    void putsAndGetsASignedRecord() throws InvalidRecordException {
        SimNodes net = SimNodes.create(40, 5, SimNodes.testConfig());
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        ParleyRecord record = ParleyRecord.sign(key, "devices", 1, new byte[] {1, 2, 3});
        assertThat(net.nodes.get(0).putValue(record.key(), record.value())).isEqualTo(20);
        GetValueResult r = net.nodes.get(30).getValue(record.key());
        assertThat(r.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(record.value()));
        assertThat(r.copies()).isEqualTo(16).as("stops at the quorum");
        assertThat(r.corrected()).isZero();
    }

    @Test
    void refusesToPutAnInvalidValue() {
        SimNodes net = SimNodes.create(5, 6, SimNodes.testConfig());
        byte[] key = "/unknown/x".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> net.nodes.get(0).putValue(key, new byte[] {1}))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("unknown record namespace 'unknown'; expected one of [parley, pk]");
    }

    @Test
    void aReadWritesTheBestValueBackToPeersHoldingAStaleOne() throws Exception {
        SimNodes net = SimNodes.create(40, 7, SimNodes.testConfig().withQuorum(40));
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        ParleyRecord v1 = ParleyRecord.sign(key, "devices", 1, new byte[] {1});
        ParleyRecord v2 = ParleyRecord.sign(key, "devices", 2, new byte[] {2});
        net.nodes.get(0).putValue(v1.key(), v1.value());
        List<PeerRef> holders = net.nodes.get(0).closestPeers(v1.key()).peers();
        KadDht updated = nodeOf(net, holders.get(3));
        updated.handleInbound(net.refs.get(0).id(), KadMessage.putValue(new KadRecord(v2.key(), v2.value())));

        GetValueResult r = net.nodes.get(39).getValue(v1.key());
        assertThat(r.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(v2.value()));
        assertThat(r.corrected()).isGreaterThanOrEqualTo(19);
        for (PeerRef holder : net.nodes.get(39).closestPeers(v1.key()).peers()) {
            KadRecord held = nodeOf(net, holder).handleInbound(net.refs.get(39).id(), KadMessage.getValue(v1.key()))
                    .orElseThrow().record();
            assertThat(held.value()).as("held by %s", holder.id()).isEqualTo(v2.value());
        }
    }

    /** Regression: entry correction fixed every stale holder but the reader, which went on serving v1. */
    @Test
    void aReadReplacesTheReadersOwnStaleCopy() throws Exception {
        SimNodes net = SimNodes.create(40, 7, SimNodes.testConfig().withQuorum(40));
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        ParleyRecord v1 = ParleyRecord.sign(key, "devices", 1, new byte[] {1});
        ParleyRecord v2 = ParleyRecord.sign(key, "devices", 2, new byte[] {2});
        List<PeerRef> holders = net.nodes.get(0).closestPeers(v1.key()).peers();
        int readerIndex = 1;
        while (holders.contains(net.refs.get(readerIndex))) {
            readerIndex++;
        }
        KadDht reader = net.nodes.get(readerIndex);
        reader.handleInbound(net.refs.get(0).id(), KadMessage.putValue(new KadRecord(v1.key(), v1.value())));
        net.nodes.get(0).putValue(v2.key(), v2.value());

        GetValueResult r = reader.getValue(v1.key());

        assertThat(r.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(v2.value()));
        KadRecord held = reader.handleInbound(net.refs.get(0).id(), KadMessage.getValue(v1.key())).orElseThrow().record();
        assertThat(held.value()).isEqualTo(v2.value());
    }

    @Test
    void autoModeServesOnlyWhileReachableAndTellsListeners() {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        PeerRef ref = new TestPeers(1).peer();
        SimNetwork.Endpoint endpoint = network.attach(ref);
        KadDht dht = KadDht.builder(ref.id(), endpoint).config(SimNodes.testConfig().withMode(DhtConfig.ModePolicy.AUTO))
                .build();
        List<String> changes = new ArrayList<>();
        dht.addModeListener((previous, current) -> changes.add(previous + "->" + current));
        dht.setReachable(true);
        assertThat(changes).as("nothing before start").isEmpty();
        dht.setReachable(false);
        assertThat(endpoint.isServing()).isFalse();
        startQuietly(dht);
        assertThat(dht.mode()).isEqualTo(DhtMode.CLIENT);
        dht.setReachable(true);
        assertThat(dht.mode()).isEqualTo(DhtMode.SERVER);
        assertThat(endpoint.isServing()).isTrue();
        dht.setReachable(true);
        dht.setReachable(false);
        assertThat(endpoint.isServing()).isFalse();
        assertThat(changes).containsExactly("CLIENT->SERVER", "SERVER->CLIENT");
    }

    @Test
    void aPublicDhtNodeKeepsAndFollowsOnlyPeersWithPublicAddresses() {
        assertThat(DhtConfig.defaults().addressScope()).as("Parley's private networks").isEqualTo(AddressScope.ALL);
        assertThat(DhtConfig.publicDht().addressScope()).isEqualTo(AddressScope.PUBLIC);
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        TestPeers peers = new TestPeers(3);
        DhtConfig publicDht = DhtConfig.publicDht().withIpDiversity(IpDiversityFilter.disabled())
                .withMode(DhtConfig.ModePolicy.SERVER);
        PeerRef self = peers.peerAt("/ip4/8.8.0.1/tcp/4001");
        KadDht dht = KadDht.builder(self.id(), network.attach(self)).config(publicDht).build();
        startQuietly(dht);
        PeerRef entry = peers.peerAt("/ip4/8.8.0.2/tcp/4001");
        PeerRef farther = peers.peerAt("/ip4/8.8.0.3/tcp/4001");
        PeerRef onLan = peers.peerAt("/ip4/192.168.0.4/tcp/4001");
        KadDht entryNode = server(network, entry);
        server(network, farther);
        server(network, onLan);
        entryNode.peerIdentified(farther, true);
        entryNode.peerIdentified(onLan, true);

        dht.peerIdentified(onLan, true);
        assertThat(dht.routingTable().size()).as("no public address, not admitted").isZero();
        dht.bootstrap(List.of(entry));
        assertThat(dht.routingTable().peers()).as("the LAN peer named by the entry is not followed")
                .containsExactlyInAnyOrder(entry, farther);
    }

    @Test
    void forcedModesIgnoreReachability() {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        TestPeers peers = new TestPeers(2);
        PeerRef a = peers.peer();
        KadDht server = KadDht.builder(a.id(), network.attach(a)).config(SimNodes.testConfig()).build();
        startQuietly(server);
        server.setReachable(false);
        assertThat(server.mode()).isEqualTo(DhtMode.SERVER);
        PeerRef b = peers.peer();
        KadDht client = KadDht.builder(b.id(), network.attach(b))
                .config(SimNodes.testConfig().withMode(DhtConfig.ModePolicy.CLIENT)).build();
        startQuietly(client);
        client.setReachable(true);
        assertThat(client.mode()).isEqualTo(DhtMode.CLIENT);
        assertThat(network.endpoint(b.id()).isServing()).isFalse();
    }

    @Test
    void theRoutingTableSurvivesARestart() throws Exception {
        SimNodes net = SimNodes.create(30, 9, SimNodes.testConfig());
        KadDht node = net.add(SimNodes.testConfig(), dir);
        node.bootstrap(List.of(net.refs.get(0)));
        int size = node.routingTable().size();
        assertThat(size).isGreaterThan(20);
        node.close();
        assertThat(dir.resolve(RoutingTableFile.FILE_NAME)).exists();

        SimNetwork other = new SimNetwork(SimNetwork.Options.instant());
        KadDht restarted = KadDht.builder(node.self(), other.attach(new PeerRef(node.self(), List.of())))
                .config(SimNodes.testConfig()).dataDir(dir).build();
        restarted.start();
        assertThat(restarted.routingTable().peers()).containsExactlyInAnyOrderElementsOf(node.routingTable().peers());
        assertThat(Files.size(dir.resolve(RoutingTableFile.FILE_NAME))).isPositive();
    }

    private static KadDht nodeOf(SimNodes net, PeerRef ref) {
        return net.nodes.get(net.refs.indexOf(ref));
    }

    /** A started server at {@code ref} with the test settings. */
    private static KadDht server(SimNetwork network, PeerRef ref) {
        KadDht dht = KadDht.builder(ref.id(), network.attach(ref)).config(SimNodes.testConfig()).build();
        startQuietly(dht);
        return dht;
    }

    private static void startQuietly(KadDht dht) {
        try {
            dht.start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
