package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.DhtMode;
import org.parley.dht.KadDht;
import org.parley.dht.UserRendezvous;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** A few Java DHT nodes on real hosts over loopback TCP, Noise and yamux. */
class HostKadNetworkTest {

    private static final DhtConfig CONFIG = DhtConfig.defaults()
            .withIpDiversity(IpDiversityFilter.disabled())
            .withMode(DhtConfig.ModePolicy.SERVER)
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    private record Node(Host host, HostKadNetwork network, KadDht dht, Set<PeerId> identified) {
        PeerRef ref() {
            return new PeerRef(host.peerId(), host.listenAddresses());
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private Node node(DhtConfig config) throws Exception {
        Host host = Host.builder().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        toClose.add(host);
        HostKadNetwork network = new HostKadNetwork(host);
        toClose.add(network);
        KadDht dht = KadDht.builder(host.peerId(), network).config(config).build();
        toClose.add(dht);
        toClose.add(KadHostBinding.attach(host, dht));
        Set<PeerId> identified = ConcurrentHashMap.newKeySet();
        // Subscribed after the binding, so on the same in-order dispatcher it sees each event later.
        toClose.add(host.subscribe(e -> {
            if (e instanceof HostEvent.PeerIdentified id) {
                synchronized (identified) {
                    identified.add(id.peer());
                    identified.notifyAll();
                }
            }
        }));
        dht.start();
        return new Node(host, network, dht, identified);
    }

    private static void awaitIdentified(Node node, PeerId peer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (node.identified()) {
            while (!node.identified().contains(peer)) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("%s identified by %s", peer, node.host().peerId()).isPositive();
                TimeUnit.NANOSECONDS.timedWait(node.identified(), left);
            }
        }
    }

    private List<Node> network(int size) throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(node(CONFIG));
        }
        Node first = nodes.getFirst();
        for (Node n : nodes.subList(1, size)) {
            n.dht().bootstrap(List.of(first.ref()));
            awaitIdentified(first, n.host().peerId());
        }
        for (Node n : nodes) {
            n.dht().refresh();
        }
        return nodes;
    }

    @Test
    void serversAnnounceKadAndAdmitEachOtherThroughIdentify() throws Exception {
        List<Node> nodes = network(3);
        assertThat(nodes.get(0).host().protocols()).contains(KadProtocol.PROTOCOL_ID);
        for (Node n : nodes) {
            assertThat(n.dht().routingTable().peers()).extracting(PeerRef::id)
                    .containsExactlyInAnyOrderElementsOf(nodes.stream().map(m -> m.host().peerId())
                            .filter(id -> !id.equals(n.host().peerId())).toList());
        }
    }

    @Test
    void findsPeersProvidersAndValuesAcrossHosts() throws Exception {
        List<Node> nodes = network(5);
        Node asker = nodes.get(4);
        Node target = nodes.get(1);
        assertThat(asker.dht().findPeer(target.host().peerId()).peer()).hasValueSatisfying(
                p -> assertThat(p.addrs()).containsAnyElementsOf(target.host().listenAddresses()));

        byte[] key = UserRendezvous.key(Ed25519PrivateKey.generate().publicKey());
        assertThat(nodes.get(2).dht().provide(key)).isEqualTo(4);
        List<PeerRef> found = new ArrayList<>();
        nodes.get(3).dht().findProviders(key, 1, found::add);
        assertThat(found).extracting(PeerRef::id).containsExactly(nodes.get(2).host().peerId());

        ParleyRecord record = ParleyRecord.sign(Ed25519PrivateKey.generate(), "devices", 3, new byte[] {1, 2});
        assertThat(nodes.get(0).dht().putValue(record.key(), record.value())).isEqualTo(4);
        GetValueResult got = nodes.get(4).dht().getValue(record.key());
        assertThat(got.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(record.value()));
    }

    @Test
    void aClientQueriesUnadmittedUntilItBecomesReachableAndPushesIdentify() throws Exception {
        List<Node> servers = network(2);
        Node node = node(CONFIG.withMode(DhtConfig.ModePolicy.AUTO));
        PeerId id = node.host().peerId();
        assertThat(node.dht().mode()).isEqualTo(DhtMode.CLIENT);
        assertThat(node.host().protocols()).doesNotContain(KadProtocol.PROTOCOL_ID);
        node.dht().bootstrap(List.of(servers.get(0).ref()));
        awaitIdentified(servers.get(0), id);
        assertThat(node.dht().findPeer(servers.get(1).host().peerId()).peer()).isPresent();
        assertThat(servers.get(0).dht().routingTable().find(id)).as("clients stay out of tables").isEmpty();

        CountDownLatch pushed = new CountDownLatch(1);
        toClose.add(servers.get(0).host().subscribe(e -> {
            if (e instanceof HostEvent.PeerIdentified identified && identified.peer().equals(id)) {
                pushed.countDown();
            }
        }));
        List<DhtMode> modes = new ArrayList<>();
        node.dht().addModeListener((previous, current) -> modes.add(current));
        node.dht().setReachable(true);
        assertThat(modes).containsExactly(DhtMode.SERVER);
        assertThat(node.host().protocols()).contains(KadProtocol.PROTOCOL_ID);
        assertThat(pushed.await(10, TimeUnit.SECONDS)).as("identify push reached the server").isTrue();
        assertThat(servers.get(0).dht().routingTable().find(id)).isPresent();
    }
}
