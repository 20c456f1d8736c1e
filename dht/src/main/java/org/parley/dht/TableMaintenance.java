package org.parley.dht;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.query.QueryEngine;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's routing table useful: joins through bootstrap peers (only those that serve the
 * DHT enter the table), refreshes the buckets with lookups, checks whether a full bucket's stalest
 * entry is still alive when a newcomer waits for its slot, and joins again when the table runs
 * empty. Thread safe; background work (liveness checks, rejoining) runs on the executor it is
 * given, everything else on the caller's thread.
 *
 * <p>Kademlia's rule: a responsive old peer is never evicted for a newcomer. A newcomer for a full
 * bucket waits in the replacement cache; if the bucket's least recently seen entry has not been
 * heard from for the liveness check age, it is asked a FIND_NODE for our own id (kad PING is
 * deprecated and an answer also proves it still serves the DHT). If it answers it stays; if not it
 * is evicted and the newest waiting peer takes its place.
 */
final class TableMaintenance implements RoutingTable.Listener {

    /**
     * Buckets beyond this common prefix length are not refreshed by random lookups: finding a key
     * for bucket i takes ~2^(i+1) hashes, and no network has enough peers to fill deeper ones
     * (go-libp2p-kad-dht stops at the same depth).
     */
    static final int MAX_REFRESH_CPL = 15;
    /**
     * The shortest time between two joins that the table running empty triggers: a bootstrap peer
     * that connects but fails every request would otherwise be rejoined in a tight loop. One
     * minute is also the maintenance tick, which retries a join that found nobody.
     */
    static final Duration MIN_REJOIN_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

    private final PeerId self;
    private final KadNetwork network;
    private final RoutingTable table;
    private final QueryEngine queries;
    private final DhtConfig config;
    private final InstantSource clock;
    private final Executor background;
    private final AtomicBoolean rejoining = new AtomicBoolean();
    private volatile List<PeerRef> bootstrapPeers;
    private volatile Instant lastJoin;
    private volatile Instant lastRefresh;
    private volatile boolean stopped;

    TableMaintenance(PeerId self, KadNetwork network, RoutingTable table, QueryEngine queries, DhtConfig config,
            InstantSource clock, Executor background) {
        this.self = self;
        this.network = network;
        this.table = table;
        this.queries = queries;
        this.config = config;
        this.clock = clock;
        this.background = background;
        this.bootstrapPeers = config.bootstrap().stream()
                .map(addr -> new PeerRef(addr.peerId(), List.of(addr.withoutPeerId())))
                .toList();
    }

    /** The peers the node joins through, and joins through again when its table runs empty. */
    List<PeerRef> bootstrapPeers() {
        return bootstrapPeers;
    }

    /**
     * Connects to {@code peers} (at once), adds those that serve the DHT to the table, and
     * refreshes: a lookup of our own id, which fills the buckets near us and announces us to our
     * neighbours, then the farther buckets. Remembers {@code peers} for joining again.
     *
     * @return the routing table's size afterwards
     */
    int join(List<PeerRef> peers) {
        if (!peers.isEmpty()) {
            bootstrapPeers = List.copyOf(peers);
        }
        lastJoin = clock.instant();
        // A bootstrap list shared by several nodes names each of them, this one included.
        forEachConcurrently(peers.stream().filter(p -> !p.id().equals(self)).toList(), this::admitBootstrapPeer);
        refresh();
        return table.size();
    }

    /**
     * Refreshes the routing table: a lookup of our own id, then one lookup of a random key in each
     * bucket from 0 to the bucket of the farthest of our k closest neighbours (deeper buckets hold
     * only neighbours, which the self lookup just found; at most {@link #MAX_REFRESH_CPL}), then
     * liveness checks of the stale entries newcomers are waiting to replace.
     */
    void refresh() {
        lastRefresh = clock.instant();
        List<PeerRef> neighbours = queries.closestPeers(self.bytes()).peers();
        int deepest = neighbours.isEmpty() ? table.highestNonEmptyBucket()
                : table.bucketIndex(neighbours.getLast().kadId());
        for (int cpl = 0; cpl <= Math.min(deepest, MAX_REFRESH_CPL); cpl++) {
            queries.closestPeers(randomKeyInBucket(cpl));
        }
        forEachConcurrently(table.claimStaleEntries(staleBefore()), this::checkLiveness);
    }

    /**
     * Does what is due: joins again if the table is empty, else refreshes if the refresh interval
     * has passed.
     *
     * @return true if the table may have changed (worth saving)
     */
    boolean maintain(Instant now) {
        if (table.size() == 0 && !bootstrapPeers.isEmpty()) {
            return rejoin("the routing table is empty");
        }
        if (lastRefresh == null || !now.isBefore(lastRefresh.plus(config.refreshInterval()))) {
            refresh();
            return true;
        }
        return false;
    }

    /** Stops starting background work; checks under way finish within their request timeout. */
    void stop() {
        stopped = true;
    }

    @Override
    public void newcomerWaiting(PeerRef newcomer) {
        if (stopped) {
            return;
        }
        table.claimStaleEntry(newcomer.kadId(), staleBefore()).ifPresent(stale -> {
            try {
                background.execute(() -> checkLiveness(stale));
            } catch (RejectedExecutionException e) {
                table.endLivenessCheck(stale.id(), stale.kadId());
            }
        });
    }

    @Override
    public void emptied() {
        if (stopped || bootstrapPeers.isEmpty()) {
            return;
        }
        Instant last = lastJoin;
        if (last != null && clock.instant().isBefore(last.plus(MIN_REJOIN_INTERVAL))) {
            LOG.debug("routing table is empty again within {} of the last join; the maintenance tick retries",
                    MIN_REJOIN_INTERVAL);
            return;
        }
        try {
            background.execute(() -> rejoin("the last routing-table peer was evicted"));
        } catch (RejectedExecutionException e) {
            LOG.debug("not joining again: background work is shut down");
        }
    }

    /**
     * Asks {@code entry} a FIND_NODE; it stays if it answers and is evicted (a replacement takes
     * its slot) if not.
     */
    void checkLiveness(PeerRef entry) {
        try {
            KadMessage answer = network.request(entry, KadMessage.findNode(self.bytes()), config.requestTimeout());
            if (answer.type() != KadMessage.Type.FIND_NODE) {
                throw new PeerFaultException("kad peer answered FIND_NODE with " + answer.type());
            }
            table.markResponsive(entry.id(), entry.kadId(), clock.instant());
        } catch (IOException e) {
            LOG.debug("liveness check of {} failed ({}); evicting it", entry.id(), e.getMessage());
            table.remove(entry.id(), entry.kadId(), clock.instant());
        } finally {
            table.endLivenessCheck(entry.id(), entry.kadId());
        }
    }

    /** Joins through the bootstrap peers again if the table is (still) empty; one rejoin at a time. */
    private boolean rejoin(String why) {
        if (stopped || table.size() > 0 || !rejoining.compareAndSet(false, true)) {
            return false;
        }
        try {
            List<PeerRef> peers = bootstrapPeers;
            LOG.info("{}; joining again through {} bootstrap peers", why, peers.size());
            join(peers);
            return true;
        } finally {
            rejoining.set(false);
        }
    }

    private void admitBootstrapPeer(PeerRef peer) {
        try {
            if (network.connect(peer, config.requestTimeout())) {
                // The addresses the peer gave itself, once connected, rather than the configured
                // one, which may be a /dnsaddr/ name that other peers could not use as such.
                List<Multiaddr> identified = network.knownAddresses(peer.id());
                table.tryAdd(identified.isEmpty() ? peer : peer.withAddrs(identified), clock.instant());
            } else {
                LOG.warn("bootstrap peer {} does not serve the DHT: its identify does not list {}", peer.id(),
                        KadProtocol.PROTOCOL_ID);
            }
        } catch (IOException e) {
            LOG.warn("could not reach bootstrap peer {} at {}: {}", peer.id(), peer.addrs(), e.getMessage());
        }
    }

    private Instant staleBefore() {
        return clock.instant().minus(config.livenessCheckAge());
    }

    /**
     * A key whose keyspace point falls in bucket {@code cpl}: found by trying random keys, about
     * 2^(cpl+1) of them. Not secret, so a fast generator does.
     */
    private byte[] randomKeyInBucket(int cpl) {
        byte[] key = new byte[KadId.BYTES];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            random.nextBytes(key);
            if (table.bucketIndex(KadId.ofKey(key)) == cpl) {
                return key;
            }
        }
    }

    /** Runs {@code action} for every peer at once on virtual threads and waits for all. */
    private static void forEachConcurrently(List<PeerRef> peers, Consumer<PeerRef> action) {
        if (peers.size() == 1) {
            action.accept(peers.getFirst());
            return;
        }
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PeerRef peer : peers) {
                exec.execute(() -> action.accept(peer));
            }
        }
    }
}
