package org.parley.dht.interop;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.host.HostKadNetwork;
import org.parley.dht.host.KadHostBinding;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * One Java DHT node for the interop tests: a libp2p host on 127.0.0.1 with a {@link KadDht} in
 * forced server mode bound to it, plus a record of every peer the host was ever connected to, so
 * a test can prove two peers had never met. Starts no lookup by itself (no bootstrap, no
 * maintenance timer); tests call them. Thread safe.
 */
final class JavaDhtPeer implements AutoCloseable {

    /** Agent announced in identify, so js logs name the Java side. */
    static final String AGENT = "parley-dht-interop/1.0";

    private final String name;
    private final Host host;
    private final HostKadNetwork network;
    private final KadDht dht;
    private final KadHostBinding binding;
    private final Set<PeerId> everConnected = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled after every host event, once the binding has fed it to the routing table. */
    private final Condition hostEvent = lock.newCondition();
    /** The host's key, which signs the records this peer publishes. */
    private final PrivateKey identity;
    private final Subscription connectionLog;
    private final Subscription eventSignal;

    private JavaDhtPeer(String name) throws IOException {
        this.name = name;
        this.identity = Ed25519PrivateKey.generate();
        this.host = Libp2p.newHost()
                .identity(identity)
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .agentVersion(AGENT)
                .build();
        // Subscribed before start, so no connection escapes the record.
        this.connectionLog = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerConnected connected) {
                everConnected.add(connected.peer());
            }
        });
        this.network = new HostKadNetwork(host);
        // Loopback peers share one IP; Amino's diversity limits would keep all but three out.
        DhtConfig config = DhtConfig.defaults()
                .withMode(DhtConfig.ModePolicy.SERVER)
                .withIpDiversity(IpDiversityFilter.disabled());
        this.dht = KadDht.builder(host.peerId(), network).config(config).build();
        this.binding = KadHostBinding.attach(host, dht);
        // Subscribers run in subscription order: this one sees an event after the binding has.
        this.eventSignal = host.subscribe(event -> {
            lock.lock();
            try {
                hostEvent.signalAll();
            } finally {
                lock.unlock();
            }
        });
        host.start();
        dht.start();
    }

    /** Starts a node listening on a free loopback port, serving kad, identify and ping. */
    static JavaDhtPeer start(String name) {
        try {
            return new JavaDhtPeer(name);
        } catch (IOException e) {
            throw new IllegalStateException("Java DHT peer " + name + " did not start: " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    PeerId peerId() {
        return host.peerId();
    }

    /** The key of {@link #host()}. */
    PrivateKey identity() {
        return identity;
    }

    Host host() {
        return host;
    }

    KadDht dht() {
        return dht;
    }

    HostKadNetwork network() {
        return network;
    }

    /** The listen address with {@code /p2p/}. */
    Multiaddr addr() {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    /** This node as the DHT names a peer: id and listen addresses. */
    PeerRef ref() {
        return new PeerRef(host.peerId(), host.listenAddresses());
    }

    /** Connects to {@code addr} and returns once the peer is identified (and so offered to the table). */
    void connect(Multiaddr addr) {
        try {
            host.connect(addr);
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not connect to " + addr + ": " + e.getMessage(), e);
        }
    }

    /** True if the host has had a connection to {@code peer} at any time since it started. */
    boolean everConnectedTo(PeerId peer) {
        return everConnected.contains(peer);
    }

    /** The peers in the routing table, as text, sorted. */
    Set<String> routingTable() {
        Set<String> out = new TreeSet<>();
        dht.routingTable().peers().forEach(p -> out.add(p.id().toString()));
        return out;
    }

    /**
     * Waits until the routing table holds all of {@code peers}. The table grows on identify events
     * (checked after each) and during this node's own lookups (which run on the caller's thread,
     * so they are over before this is called).
     *
     * @throws AssertionError naming the missing peers if they are not all there in time
     */
    void awaitRoutingTable(Collection<PeerId> peers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Set<String> missing = new TreeSet<>();
                peers.forEach(p -> missing.add(p.toString()));
                missing.removeAll(routingTable());
                if (missing.isEmpty()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + "'s routing table " + routingTable() + " still lacks " + missing
                            + " after " + timeout.toMillis() + " ms");
                }
                hostEvent.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + "'s routing table", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        eventSignal.close();
        binding.close();
        dht.close();
        network.close();
        connectionLog.close();
        host.close();
    }

    @Override
    public String toString() {
        return "JavaDhtPeer[" + name + " " + host.peerId() + "]";
    }
}
