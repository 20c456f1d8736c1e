package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** Java DHT nodes on real hosts over loopback TCP, Noise and yamux, closed together. Not thread safe. */
final class HostNodes implements AutoCloseable {

    /** Servers on loopback: no IP diversity limits, timeouts generous for a loaded machine. */
    static final DhtConfig CONFIG = DhtConfig.defaults()
            .withIpDiversity(IpDiversityFilter.disabled())
            .withMode(DhtConfig.ModePolicy.SERVER)
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

    /** One node; {@code identified} collects the peers its host has identified. */
    record Node(Host host, HostKadNetwork network, KadDht dht, Set<PeerId> identified) {
        PeerRef ref() {
            return new PeerRef(host.peerId(), host.listenAddresses());
        }

        PeerId id() {
            return host.peerId();
        }

        /** The node's first listen address with {@code /p2p/}: what a bootstrap list holds. */
        Multiaddr multiaddr() {
            return host.listenAddresses().getFirst().withPeerId(host.peerId());
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Keeps {@code c} to close with the rest, last in first out. */
    <T extends AutoCloseable> T keep(T c) {
        toClose.add(c);
        return c;
    }

    /** A started host on 127.0.0.1 with {@code limits}, running nothing but libp2p's own protocols. */
    Host host(HostLimits limits) throws Exception {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).limits(limits).build();
        host.start();
        return keep(host);
    }

    /** A started DHT node on a host of its own, fed by identify through {@link KadHostBinding}. */
    Node node(DhtConfig config) throws Exception {
        return node(config, DnsaddrResolver.system());
    }

    /** Like {@link #node(DhtConfig)}, resolving {@code /dnsaddr/} bootstrap addresses with {@code dnsaddr}. */
    Node node(DhtConfig config, DnsaddrResolver dnsaddr) throws Exception {
        Host host = host(HostLimits.defaults());
        HostKadNetwork network = keep(new HostKadNetwork(host, InstantSource.system(), dnsaddr));
        KadDht dht = keep(KadDht.builder(host.peerId(), network).config(config).build());
        keep(KadHostBinding.attach(host, dht));
        Set<PeerId> identified = ConcurrentHashMap.newKeySet();
        // Subscribed after the binding, so on the same in-order dispatcher it sees each event later.
        keep(host.subscribe(e -> {
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

    /** {@code size} servers, each joined through the first, then all refreshed. */
    List<Node> network(int size) throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(node(CONFIG));
        }
        Node first = nodes.getFirst();
        for (Node n : nodes.subList(1, size)) {
            n.dht().bootstrap(List.of(first.ref()));
            awaitIdentified(first, n.id());
        }
        for (Node n : nodes) {
            n.dht().refresh();
        }
        return nodes;
    }

    /** Waits (at most 10 s) until {@code node}'s host has identified {@code peer}. */
    static void awaitIdentified(Node node, PeerId peer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (node.identified()) {
            while (!node.identified().contains(peer)) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("%s identified by %s", peer, node.id()).isPositive();
                TimeUnit.NANOSECONDS.timedWait(node.identified(), left);
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        toClose.clear();
    }
}
