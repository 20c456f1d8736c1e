package org.parley.libp2p.host.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * The in-memory {@link Peerstore}: one record per peer in a least-recently-used map under one
 * lock. The host adds what only it knows (connections, identify results, pings) through the
 * package's methods. Thread safe.
 */
final class DefaultPeerstore implements Peerstore {

    /** go-libp2p's latency EWMA weight: a new sample moves the average by a tenth. */
    static final double LATENCY_SMOOTHING = 0.1;

    /** The connection key of the overloads that name no connection. */
    private static final Object UNNAMED_CONNECTION = new Object();

    private final Clock clock;
    private final int maxPeers;
    private final ReentrantLock lock = new ReentrantLock();
    /** Access order: iteration starts at the least recently used record. */
    private final LinkedHashMap<PeerId, Record> records = new LinkedHashMap<>(256, 0.75f, true);

    DefaultPeerstore(Clock clock) {
        this(clock, MAX_PEERS);
    }

    DefaultPeerstore(Clock clock, int maxPeers) {
        this.clock = clock;
        this.maxPeers = maxPeers;
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("address TTL must be positive, got " + ttl);
        }
        Instant expiry = clock.instant().plus(ttl);
        lock.lock();
        try {
            Record record = recordFor(peer);
            record.dropExpired(clock.instant());
            for (Multiaddr address : addresses) {
                record.upsert(address.withoutPeerId(), expiry);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        lock.lock();
        try {
            Record record = records.get(peer);
            return record == null ? List.of() : record.liveAddresses(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<PublicKey> publicKey(PeerId peer) {
        lock.lock();
        try {
            Record record = records.get(peer);
            if (record != null && record.publicKey != null) {
                return Optional.of(record.publicKey);
            }
        } finally {
            lock.unlock();
        }
        return Optional.ofNullable(peer.inlinedPublicKey());
    }

    @Override
    public Set<String> protocols(PeerId peer) {
        lock.lock();
        try {
            Record record = records.get(peer);
            return record == null ? Set.of() : record.protocols;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> agentVersion(PeerId peer) {
        return read(peer, r -> r.agentVersion);
    }

    @Override
    public Optional<String> protocolVersion(PeerId peer) {
        return read(peer, r -> r.protocolVersion);
    }

    @Override
    public Optional<Duration> latency(PeerId peer) {
        return read(peer, r -> r.latencyNanos < 0 ? null : Duration.ofNanos(r.latencyNanos));
    }

    @Override
    public Set<PeerId> peers() {
        lock.lock();
        try {
            return Set.copyOf(records.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a new connection and the peer's key. {@code dialedAddress}, the address we reached it
     * at (null for an inbound connection, whose remote port is not one the peer listens on), is
     * kept while the peer is connected.
     */
    void connected(PeerId peer, PublicKey key, Multiaddr dialedAddress) {
        lock.lock();
        try {
            Record record = recordFor(peer);
            record.connections++;
            record.publicKey = key;
            if (dialedAddress != null) {
                record.dropExpired(clock.instant());
                record.upsert(dialedAddress.withoutPeerId(), null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #disconnected(PeerId, Object)}, for an unnamed connection. */
    void disconnected(PeerId peer) {
        disconnected(peer, UNNAMED_CONNECTION);
    }

    /**
     * Records a closed connection. While others stay open, the peer's protocols and announced
     * addresses are again those its open connections announced (two processes sharing one key
     * announce different ones); after the last, they stay as they were and connected addresses
     * start to expire.
     */
    void disconnected(PeerId peer, Object connection) {
        lock.lock();
        try {
            Record record = records.get(peer);
            if (record == null) {
                return;
            }
            Announced gone = record.byConnection.remove(connection);
            if (--record.connections > 0) {
                if (gone != null && !record.byConnection.isEmpty()) {
                    recombine(record, clock.instant());
                }
                return;
            }
            record.byConnection.clear();
            record.connections = 0;
            Instant expiry = clock.instant().plus(RECENTLY_CONNECTED_TTL);
            for (Entry entry : record.addresses.values()) {
                if (entry.expiry == null) {
                    entry.expiry = expiry;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #identified(PeerId, Object, List, Collection, String, String)}, for an unnamed connection. */
    void identified(PeerId peer, List<Multiaddr> listenAddresses, Collection<String> protocols,
            String protocolVersion, String agentVersion) {
        identified(peer, UNNAMED_CONNECTION, listenAddresses, protocols, protocolVersion, agentVersion);
    }

    /**
     * Applies what a peer said about itself in identify on {@code connection}; a null or absent
     * field leaves the stored value unchanged (an identify push may carry only what changed).
     * Identify results belong to a connection: the peer's protocols and announced addresses are
     * the union of what its open connections announced. Its listen addresses are kept while it is
     * connected; those it announced before and no longer does expire within
     * {@link #TEMPORARY_TTL}, as in go-libp2p.
     *
     * @return true if another open connection of the peer announced different protocols: two
     *     processes are running with one key
     */
    boolean identified(PeerId peer, Object connection, List<Multiaddr> listenAddresses,
            Collection<String> protocols, String protocolVersion, String agentVersion) {
        lock.lock();
        try {
            Record record = recordFor(peer);
            Instant now = clock.instant();
            Announced before = record.byConnection.getOrDefault(connection, Announced.NOTHING);
            Set<String> announcedProtocols = protocols == null ? before.protocols()
                    : Set.copyOf(protocols.stream().limit(MAX_PROTOCOLS_PER_PEER).toList());
            List<Multiaddr> announcedAddresses = listenAddresses == null ? before.addresses()
                    : List.copyOf(listenAddresses);
            boolean conflict = protocols != null && record.byConnection.entrySet().stream()
                    .anyMatch(e -> e.getKey() != connection && e.getValue().protocols() != null
                            && !e.getValue().protocols().equals(announcedProtocols));
            // Bounded: the host calls this only for registered connections, at most a few per peer.
            record.byConnection.put(connection, new Announced(announcedProtocols, announcedAddresses));
            if (listenAddresses != null) {
                applyAnnounced(record, union(record, Announced::addresses), now);
            }
            if (protocols != null) {
                record.protocols = Set.copyOf(union(record, Announced::protocols));
            }
            if (protocolVersion != null) {
                record.protocolVersion = protocolVersion;
            }
            if (agentVersion != null) {
                record.agentVersion = agentVersion;
            }
            return conflict;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the peer's protocols and announced addresses those of its open connections again. */
    private static void recombine(Record record, Instant now) {
        record.protocols = Set.copyOf(union(record, Announced::protocols));
        applyAnnounced(record, union(record, Announced::addresses), now);
    }

    private static <T> List<T> union(Record record,
            java.util.function.Function<Announced, ? extends Collection<T>> field) {
        java.util.LinkedHashSet<T> out = new java.util.LinkedHashSet<>();
        for (Announced announced : record.byConnection.values()) {
            Collection<T> values = field.apply(announced);
            if (values != null) {
                out.addAll(values);
            }
        }
        return List.copyOf(out);
    }

    private static void applyAnnounced(Record record, List<Multiaddr> listenAddresses, Instant now) {
        record.dropExpired(now);
        Instant stale = now.plus(TEMPORARY_TTL);
        for (Entry entry : record.addresses.values()) {
            if (entry.announced) {
                entry.announced = false;
                if (entry.expiry == null || entry.expiry.isAfter(stale)) {
                    entry.expiry = stale;
                }
            }
        }
        Instant expiry = record.connections > 0 ? null : now.plus(RECENTLY_CONNECTED_TTL);
        for (Multiaddr address : listenAddresses) {
            Entry entry = record.upsert(address.withoutPeerId(), expiry);
            if (entry != null) {
                entry.announced = true;
                if (expiry == null) {
                    entry.expiry = null;
                }
            }
        }
    }

    /** Folds one ping round trip into the peer's latency average. */
    void recordLatency(PeerId peer, Duration rtt) {
        lock.lock();
        try {
            Record record = recordFor(peer);
            long sample = rtt.toNanos();
            record.latencyNanos = record.latencyNanos < 0 ? sample
                    : Math.round((1 - LATENCY_SMOOTHING) * record.latencyNanos + LATENCY_SMOOTHING * sample);
        } finally {
            lock.unlock();
        }
    }

    private <T> Optional<T> read(PeerId peer, java.util.function.Function<Record, T> field) {
        lock.lock();
        try {
            Record record = records.get(peer);
            return record == null ? Optional.empty() : Optional.ofNullable(field.apply(record));
        } finally {
            lock.unlock();
        }
    }

    /** The record of {@code peer}, created (and the least recently used unconnected one evicted) if new. */
    private Record recordFor(PeerId peer) {
        Record record = records.get(peer);
        if (record != null) {
            return record;
        }
        if (records.size() >= maxPeers) {
            evictOne();
        }
        record = new Record();
        records.put(peer, record);
        return record;
    }

    private void evictOne() {
        Iterator<Record> it = records.values().iterator();
        while (it.hasNext()) {
            if (it.next().connections == 0) {
                it.remove();
                return;
            }
        }
        // Every stored peer is connected: the connection cap keeps this far below maxPeers in
        // practice, and a connected peer's record must not vanish, so the store grows instead.
    }

    /** One address's lifetime: an expiry, or null while its peer is connected. */
    private static final class Entry {
        Instant expiry;
        /** Announced by the peer in its latest identify. */
        boolean announced;

        Entry(Instant expiry) {
            this.expiry = expiry;
        }

        boolean liveAt(Instant now) {
            return expiry == null || expiry.isAfter(now);
        }
    }

    /** What a peer announced on one connection; null fields were not announced yet. */
    private record Announced(Set<String> protocols, List<Multiaddr> addresses) {
        static final Announced NOTHING = new Announced(null, null);
    }

    private static final class Record {
        final Map<Multiaddr, Entry> addresses = new LinkedHashMap<>();
        /** Identify results per open connection (keyed by the connection), in identify order. */
        final Map<Object, Announced> byConnection = new LinkedHashMap<>();
        PublicKey publicKey;
        Set<String> protocols = Set.of();
        String agentVersion;
        String protocolVersion;
        long latencyNanos = -1;
        int connections;

        void dropExpired(Instant now) {
            addresses.values().removeIf(e -> !e.liveAt(now));
        }

        /**
         * Adds {@code address} or extends its life to {@code expiry} (null: while connected); an
         * address never loses life here. Returns its entry, or null if the per-peer cap left no room.
         */
        Entry upsert(Multiaddr address, Instant expiry) {
            Entry entry = addresses.get(address);
            if (entry == null) {
                if (addresses.size() >= MAX_ADDRESSES_PER_PEER) {
                    return null;
                }
                entry = new Entry(expiry);
                addresses.put(address, entry);
            } else if (entry.expiry != null && (expiry == null || expiry.isAfter(entry.expiry))) {
                entry.expiry = expiry;
            }
            return entry;
        }

        List<Multiaddr> liveAddresses(Instant now) {
            List<Multiaddr> out = new ArrayList<>(addresses.size());
            addresses.forEach((address, entry) -> {
                if (entry.liveAt(now)) {
                    out.add(address);
                }
            });
            return out;
        }
    }
}
