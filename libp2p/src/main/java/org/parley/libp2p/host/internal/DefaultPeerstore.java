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

    /** Records a closed connection; after the last one, connected addresses start to expire. */
    void disconnected(PeerId peer) {
        lock.lock();
        try {
            Record record = records.get(peer);
            if (record == null || --record.connections > 0) {
                return;
            }
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

    /**
     * Applies what a peer said about itself in identify; a null or absent field leaves the stored
     * value unchanged (an identify push may carry only what changed). Its listen addresses are
     * kept while it is connected; those it announced before and no longer does expire within
     * {@link #TEMPORARY_TTL}, as in go-libp2p.
     */
    void identified(PeerId peer, List<Multiaddr> listenAddresses, Collection<String> protocols,
            String protocolVersion, String agentVersion) {
        lock.lock();
        try {
            Record record = recordFor(peer);
            Instant now = clock.instant();
            if (listenAddresses != null) {
                applyAnnounced(record, listenAddresses, now);
            }
            if (protocols != null) {
                record.protocols = Set.copyOf(protocols.stream().limit(MAX_PROTOCOLS_PER_PEER).toList());
            }
            if (protocolVersion != null) {
                record.protocolVersion = protocolVersion;
            }
            if (agentVersion != null) {
                record.agentVersion = agentVersion;
            }
        } finally {
            lock.unlock();
        }
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

    private static final class Record {
        final Map<Multiaddr, Entry> addresses = new LinkedHashMap<>();
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
