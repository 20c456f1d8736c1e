package org.parley.dht.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.query.QueryParams;
import org.parley.dht.query.QueryStats;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/**
 * A simulated DHT: N real {@link KadDht} nodes on a {@link SimNetwork}, plus the scenarios the
 * DHT is judged by (churn, adversaries) and lookup batches that measure success, rounds and
 * messages. Node choices come from a seeded random source; lookups run concurrently on virtual
 * threads, so timings vary but the workload does not. Thread safe for one scenario at a time.
 */
public final class DhtSimulation {

    /** How routing tables are filled before measuring. */
    public enum Bootstrap {
        /**
         * From the global view: each bucket of each node gets up to k random peers of the right
         * prefix, as a long-running, well-refreshed network would have. Fast at any size.
         */
        ORACLE,
        /** Nodes join one by one through a random earlier node, then all refresh once: slow but real. */
        JOIN
    }

    /**
     * @param nodes how many honest DHT nodes
     * @param seed the random seed for ids and every choice of the scenarios
     */
    public record Settings(int nodes, long seed, SimNetwork.Options network, DhtConfig config, Bootstrap bootstrap) {}

    /** One simulated node. */
    public record SimNode(PeerRef ref, KadDht dht, SimNetwork.Endpoint endpoint) {}

    /**
     * Routing-table fill over live honest nodes.
     *
     * @param meanSize mean entries per table
     * @param meanFullBuckets mean number of full (k-entry) buckets
     * @param expectedFullBuckets buckets a node of this network can fill: floor(log2(N / k))
     */
    public record TableFill(double meanSize, int minSize, int maxSize, double meanFullBuckets, int expectedFullBuckets) {}

    /**
     * identity multihash (0x00), length 36 (0x24), then the PublicKey protobuf's header: type
     * Ed25519 (08 01) and 32 data bytes (12 20).
     */
    private static final byte[] ED25519_ID_PREFIX = {0x00, 0x24, 0x08, 0x01, 0x12, 0x20};

    private final Settings settings;
    private final SimNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Set<PeerId> adversarial = new HashSet<>();
    private final Random random;

    private DhtSimulation(Settings settings) {
        this.settings = settings;
        this.network = new SimNetwork(settings.network());
        this.random = new Random(settings.seed());
    }

    /** Builds the network and fills its routing tables. */
    public static DhtSimulation create(Settings settings) {
        DhtSimulation sim = new DhtSimulation(settings);
        sim.populate();
        switch (settings.bootstrap()) {
            case ORACLE -> sim.oracleBootstrap();
            case JOIN -> sim.joinBootstrap();
        }
        return sim;
    }

    public List<SimNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public SimNetwork network() {
        return network;
    }

    /** Takes a random {@code fraction} of the live honest nodes down without notice; returns how many. */
    public int vanish(double fraction) {
        List<SimNode> victims = pick(liveHonest(), (int) Math.round(fraction * nodes.size()));
        victims.forEach(n -> n.endpoint().setDown(true));
        return victims.size();
    }

    /** Brings every vanished node back, with the routing table it had when it left. */
    public void reviveAll() {
        nodes.forEach(n -> n.endpoint().setDown(false));
    }

    /**
     * Turns a random {@code fraction} of the live honest nodes into colluding adversaries, armed
     * with {@code sybilsPerAdversary} extra Sybil identities each (see {@link SybilAdversary}).
     *
     * @return how many nodes turned
     */
    public int makeAdversarial(double fraction, int sybilsPerAdversary) {
        List<SimNode> turned = pick(liveHonest(), (int) Math.round(fraction * nodes.size()));
        List<PeerRef> sybilRefs = new ArrayList<>();
        for (int i = 0; i < turned.size() * sybilsPerAdversary; i++) {
            sybilRefs.add(new PeerRef(randomPeerId(), List.of(address(nodes.size() + i))));
        }
        SybilAdversary adversary = new SybilAdversary(new SortedKeyspace(sybilRefs), settings.config().k());
        for (PeerRef sybil : sybilRefs) {
            network.attach(sybil, adversary);
        }
        for (SimNode n : turned) {
            n.endpoint().setBehaviour(adversary);
            adversarial.add(n.ref().id());
        }
        return turned.size();
    }

    /** True if {@code peer} was turned into an adversary. */
    public boolean isAdversarial(PeerId peer) {
        return adversarial.contains(peer);
    }

    /**
     * Runs {@code lookups} findPeer lookups between random live honest nodes, {@code concurrency}
     * at a time, with {@code disjointPaths} S/Kademlia paths. A lookup succeeds if it returns the
     * target with its address.
     */
    public LookupReport findPeers(String scenario, int lookups, int concurrency, int disjointPaths) {
        List<SimNode> honest = liveHonest();
        List<SimNode[]> pairs = new ArrayList<>(lookups);
        for (int i = 0; i < lookups; i++) {
            SimNode source = honest.get(random.nextInt(honest.size()));
            SimNode target;
            do {
                target = honest.get(random.nextInt(honest.size()));
            } while (target == source);
            pairs.add(new SimNode[] {source, target});
        }
        QueryParams params = settings.config().queryParams().withDisjointPaths(disjointPaths);
        return measure(scenario, lookups, concurrency, i -> {
            SimNode source = pairs.get(i)[0];
            SimNode target = pairs.get(i)[1];
            FindPeerResult r = source.dht().queries(params).findPeer(target.ref().id());
            boolean ok = r.peer().isPresent() && r.peer().get().addrs().equals(target.ref().addrs());
            return new Outcome(ok, r.stats());
        });
    }

    /**
     * Announces {@code keys} random keys, each from a random live honest node with
     * {@code disjointPaths} lookup paths, and returns the keys
     * with their providers; {@link #findProviders} then looks for them.
     */
    public List<ProvidedKey> provideRandomKeys(int keys, int concurrency, int disjointPaths) {
        List<SimNode> honest = liveHonest();
        List<ProvidedKey> provided = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            provided.add(new ProvidedKey(Multihash.sha256(seed).bytes(), honest.get(random.nextInt(honest.size()))));
        }
        QueryParams params = settings.config().queryParams().withDisjointPaths(disjointPaths);
        measure("provide", keys, concurrency, i -> {
            SimNode provider = provided.get(i).provider();
            provider.dht().queries(params).provide(provided.get(i).key(), provider.ref());
            return new Outcome(true, QueryStats.LOCAL);
        });
        return provided;
    }

    /** A key and the node that provides it. */
    public record ProvidedKey(byte[] key, SimNode provider) {}

    /**
     * Looks each key up from a random live honest node other than its provider; a lookup succeeds
     * if it names the provider.
     */
    public LookupReport findProviders(String scenario, List<ProvidedKey> keys, int concurrency, int disjointPaths) {
        List<SimNode> honest = liveHonest();
        List<SimNode> askers = new ArrayList<>(keys.size());
        for (ProvidedKey key : keys) {
            SimNode asker;
            do {
                asker = honest.get(random.nextInt(honest.size()));
            } while (asker == key.provider());
            askers.add(asker);
        }
        QueryParams params = settings.config().queryParams().withDisjointPaths(disjointPaths);
        return measure(scenario, keys.size(), concurrency, i -> {
            ProvidedKey key = keys.get(i);
            SimNode asker = askers.get(i);
            ProvidersResult r = asker.dht().queries(params)
                    .findProviders(key.key(), 1, asker.dht().localProviders(key.key()), p -> { });
            boolean ok = r.providers().stream().anyMatch(p -> p.id().equals(key.provider().ref().id()));
            return new Outcome(ok, r.stats());
        });
    }

    /** Routing-table fill over the live honest nodes. */
    public TableFill tableFill() {
        int k = settings.config().k();
        int expected = (int) Math.floor(Math.log((double) nodes.size() / k) / Math.log(2));
        long total = 0;
        long full = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        List<SimNode> live = liveHonest();
        for (SimNode n : live) {
            RoutingTable t = n.dht().routingTable();
            int size = t.size();
            total += size;
            min = Math.min(min, size);
            max = Math.max(max, size);
            for (int b = 0; b <= t.highestNonEmptyBucket(); b++) {
                if (t.bucketSize(b) >= k) {
                    full++;
                }
            }
        }
        return new TableFill((double) total / live.size(), min, max, (double) full / live.size(), expected);
    }

    // ---- building ----

    private void populate() {
        DhtConfig config = settings.config().withMode(DhtConfig.ModePolicy.SERVER);
        for (int i = 0; i < settings.nodes(); i++) {
            PeerRef ref = new PeerRef(randomPeerId(), List.of(address(i)));
            SimNetwork.Endpoint endpoint = network.attach(ref);
            KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).build();
            endpoint.onPeerIdentified(dht::peerIdentified);
            try {
                dht.start();
            } catch (IOException e) {
                throw new UncheckedIOException("a simulated node without data dir cannot fail to start", e);
            }
            nodes.add(new SimNode(ref, dht, endpoint));
        }
    }

    /** Fills every table from the global view; nodes are independent, so it runs in parallel. */
    private void oracleBootstrap() {
        SortedKeyspace keyspace = new SortedKeyspace(nodes.stream().map(SimNode::ref).toList());
        int k = settings.config().k();
        Instant now = Instant.now();
        IntStream.range(0, nodes.size()).parallel().forEach(index -> {
            Random own = new Random(settings.seed() * 1_000_003L + index);
            SimNode node = nodes.get(index);
            KadId self = node.ref().kadId();
            RoutingTable table = node.dht().routingTable();
            for (int cpl = 0; cpl < KadId.BITS; cpl++) {
                int[] range = keyspace.bucketRange(self, cpl);
                int size = range[1] - range[0];
                if (size <= k) {
                    for (int i = range[0]; i < range[1]; i++) {
                        table.tryAdd(keyspace.get(i), now);
                    }
                } else {
                    for (int i : sample(own, size, k)) {
                        table.tryAdd(keyspace.get(range[0] + i), now);
                    }
                }
                int[] subtree = keyspace.prefixRange(self, cpl + 1);
                if (subtree[1] - subtree[0] <= 1) {
                    break;
                }
            }
        });
    }

    private void joinBootstrap() {
        for (int i = 1; i < nodes.size(); i++) {
            SimNode via = nodes.get(random.nextInt(i));
            nodes.get(i).dht().bootstrap(List.of(via.ref()));
        }
        for (SimNode n : nodes) {
            n.dht().refresh();
        }
    }

    // ---- measuring ----

    private record Outcome(boolean success, QueryStats stats) {}

    @FunctionalInterface
    private interface Task {
        Outcome run(int index);
    }

    private LookupReport measure(String scenario, int count, int concurrency, Task task) {
        int[] rounds = new int[count];
        int[] messages = new int[count];
        AtomicInteger successes = new AtomicInteger();
        Semaphore permits = new Semaphore(concurrency);
        long start = System.nanoTime();
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                permits.acquireUninterruptibly();
                exec.submit(() -> {
                    try {
                        Outcome o = task.run(index);
                        rounds[index] = o.stats().rounds();
                        messages[index] = o.stats().requests();
                        if (o.success()) {
                            successes.incrementAndGet();
                        }
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new LookupReport(scenario, count, successes.get(), Summary.of(rounds), Summary.of(messages), wall);
    }

    // ---- helpers ----

    private List<SimNode> liveHonest() {
        List<SimNode> out = new ArrayList<>(nodes.size());
        for (SimNode n : nodes) {
            if (!n.endpoint().isDown() && !adversarial.contains(n.ref().id())) {
                out.add(n);
            }
        }
        return out;
    }

    private List<SimNode> pick(List<SimNode> from, int count) {
        List<SimNode> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(count, copy.size()));
    }

    private static int[] sample(Random from, int size, int count) {
        Set<Integer> chosen = new HashSet<>();
        while (chosen.size() < count) {
            chosen.add(from.nextInt(size));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private PeerId randomPeerId() {
        return randomPeerId(random);
    }

    /**
     * An Ed25519-shaped PeerId (an identity multihash of a key protobuf) whose 32 key bytes come
     * from {@code random}: no key pair behind it, which the simulation never needs.
     */
    public static PeerId randomPeerId(Random random) {
        byte[] id = new byte[38];
        System.arraycopy(ED25519_ID_PREFIX, 0, id, 0, ED25519_ID_PREFIX.length);
        byte[] key = new byte[32];
        random.nextBytes(key);
        System.arraycopy(key, 0, id, ED25519_ID_PREFIX.length, key.length);
        try {
            return PeerId.fromBytes(id);
        } catch (PeerFaultException e) {
            throw new IllegalStateException("a well-formed identity multihash was refused", e);
        }
    }

    /** A distinct documentation-range address per node (198.18.0.0/15, reserved for benchmarks). */
    private static Multiaddr address(int index) {
        return Multiaddr.parse("/ip4/198." + (18 + (index >>> 16)) + "." + ((index >>> 8) & 0xFF) + "."
                + (index & 0xFF) + "/tcp/4001");
    }
}
