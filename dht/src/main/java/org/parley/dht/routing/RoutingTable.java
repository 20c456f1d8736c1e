package org.parley.dht.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parley.libp2p.peer.PeerId;

/**
 * The Kademlia routing table: 256 k-buckets, bucket {@code i} holding peers whose id shares exactly
 * {@code i} leading bits with ours. Thread safe (one lock; every operation is short).
 *
 * <p>Only DHT servers belong here; deciding that is the caller's job (identify's protocol list).
 * Buckets are created on first use, since all but the first ~log2(network size) stay empty.
 *
 * <p>The table does no I/O. What needs the network it hands to its {@link Listener}: a newcomer
 * waiting for a full bucket (the owner checks whether the bucket's stalest entry is still alive,
 * see {@link #claimStaleEntry}), and the table running empty (the owner joins again).
 */
public final class RoutingTable {

    /** The outcome of {@link #tryAdd}. */
    public enum AddResult {
        /** New entry in a bucket with room. */
        ADDED,
        /** Already present; its addresses and last-seen time were refreshed. */
        UPDATED,
        /** The bucket is full: the peer waits in the replacement cache. */
        PENDING,
        /** Adding it would exceed the IP diversity limits. */
        REJECTED_DIVERSITY,
        /** None of its addresses is in the table's {@link AddressScope}. */
        REJECTED_ADDRESSES,
        /** It is us. */
        REJECTED_SELF
    }

    /**
     * Hears of the changes the table's owner acts on. Called on the thread that changed the
     * table, without the table's lock held; must not block.
     */
    public interface Listener {
        /** {@code newcomer} went to the replacement cache of a full bucket. */
        void newcomerWaiting(PeerRef newcomer);

        /** The table's last entry left it. */
        void emptied();
    }

    /** A read-only view of one entry, for status pages and persistence. */
    public record EntryInfo(PeerRef peer, int bucket, Instant addedAt, Instant lastSeen, int failures) {}

    private static final Listener NO_LISTENER = new Listener() {
        @Override
        public void newcomerWaiting(PeerRef newcomer) {}

        @Override
        public void emptied() {}
    };

    private final KadId self;
    private final int k;
    private final int replacementCapacity;
    private final IpDiversityFilter diversity;
    private final AddressScope scope;
    private final KBucket[] buckets = new KBucket[KadId.BITS];
    private final Map<String, Integer> groupCounts = new HashMap<>();
    private volatile Listener listener = NO_LISTENER;
    private int size;

    /** A table that admits peers with any address. */
    public RoutingTable(KadId self, int k, int replacementCapacity, IpDiversityFilter diversity) {
        this(self, k, replacementCapacity, diversity, AddressScope.ALL);
    }

    /**
     * @param self our own keyspace id
     * @param k bucket capacity
     * @param replacementCapacity how many waiting peers each bucket remembers
     * @param scope which addresses entries keep; a peer with none in scope is not admitted
     */
    public RoutingTable(KadId self, int k, int replacementCapacity, IpDiversityFilter diversity, AddressScope scope) {
        if (k < 1 || replacementCapacity < 0) {
            throw new IllegalArgumentException("bucket size must be >= 1 and replacement cache >= 0, got " + k
                    + " and " + replacementCapacity);
        }
        this.self = self;
        this.k = k;
        this.replacementCapacity = replacementCapacity;
        this.diversity = diversity;
        this.scope = scope;
    }

    /** Sets who hears of waiting newcomers and of the table running empty; replaces any earlier one. */
    public void setListener(Listener value) {
        listener = value == null ? NO_LISTENER : value;
    }

    public KadId self() {
        return self;
    }

    public int k() {
        return k;
    }

    /** The addresses entries keep, and so the addresses this node hands out and follows. */
    public AddressScope addressScope() {
        return scope;
    }

    /** The bucket index of {@code id}: its common prefix length with us (255 at most for others). */
    public int bucketIndex(KadId id) {
        return Math.min(self.commonPrefixLength(id), KadId.BITS - 1);
    }

    /**
     * Adds a peer that was heard from (it answered, or identified itself as a DHT server), or
     * refreshes it if present; only its addresses in the table's scope are kept. A full bucket
     * keeps its entries and caches the newcomer, and the {@link Listener} hears of it.
     */
    public AddResult tryAdd(PeerRef peer, Instant now) {
        AddResult result = add(scope.restrict(peer), now);
        if (result == AddResult.PENDING) {
            listener.newcomerWaiting(peer);
        }
        return result;
    }

    private synchronized AddResult add(PeerRef peer, Instant now) {
        if (peer.kadId().equals(self)) {
            return AddResult.REJECTED_SELF;
        }
        if (scope != AddressScope.ALL && peer.addrs().isEmpty()) {
            return AddResult.REJECTED_ADDRESSES;
        }
        int index = bucketIndex(peer.kadId());
        KBucket bucket = bucket(index);
        KBucket.Entry existing = bucket.find(peer.id(), peer.kadId());
        if (existing != null) {
            if (!peer.addrs().isEmpty() && !peer.addrs().equals(existing.peer.addrs())) {
                uncount(existing.peer);
                existing.peer = peer;
                count(peer);
            }
            existing.lastSeen = now;
            existing.failures = 0;
            return AddResult.UPDATED;
        }
        if (!fitsDiversity(peer, bucket)) {
            return AddResult.REJECTED_DIVERSITY;
        }
        if (bucket.isFull()) {
            bucket.addReplacement(peer);
            return AddResult.PENDING;
        }
        bucket.add(peer, now);
        count(peer);
        size++;
        return AddResult.ADDED;
    }

    /** Records a successful exchange with {@code peer}, clearing its failure count. */
    public synchronized void markResponsive(PeerId peer, KadId kadId, Instant now) {
        KBucket.Entry e = entry(peer, kadId);
        if (e != null) {
            e.lastSeen = now;
            e.failures = 0;
            e.checking = false;
        }
    }

    /**
     * Records a failed exchange; after {@code evictAfter} consecutive failures the entry is
     * removed and the newest fitting replacement takes its place.
     *
     * @return true if the peer was evicted
     */
    public boolean markFailed(PeerId peer, KadId kadId, int evictAfter, Instant now) {
        boolean evicted;
        boolean empty;
        synchronized (this) {
            KBucket bucket = buckets[bucketIndex(kadId)];
            KBucket.Entry e = bucket == null ? null : bucket.find(peer, kadId);
            if (e == null) {
                if (bucket != null) {
                    bucket.removeReplacement(peer);
                }
                return false;
            }
            e.failures++;
            evicted = e.failures >= evictAfter;
            if (evicted) {
                evict(bucket, peer, kadId, now);
            }
            empty = evicted && size == 0;
        }
        if (empty) {
            listener.emptied();
        }
        return evicted;
    }

    /** Removes {@code peer} (and promotes a replacement); true if it was present. */
    public boolean remove(PeerId peer, KadId kadId, Instant now) {
        boolean empty;
        synchronized (this) {
            KBucket bucket = buckets[bucketIndex(kadId)];
            if (bucket == null) {
                return false;
            }
            if (bucket.find(peer, kadId) == null) {
                return bucket.removeReplacement(peer);
            }
            evict(bucket, peer, kadId, now);
            empty = size == 0;
        }
        if (empty) {
            listener.emptied();
        }
        return true;
    }

    /**
     * Picks the entry of a full bucket whose liveness is worth checking because a newcomer waits
     * for its slot: the least recently seen entry of the bucket {@code newcomer} belongs to, if it
     * was last seen before {@code staleBefore} and no check of it is under way. The entry is
     * marked as being checked until {@link #markResponsive}, {@link #remove} or
     * {@link #endLivenessCheck}.
     */
    public synchronized Optional<PeerRef> claimStaleEntry(KadId newcomer, Instant staleBefore) {
        return Optional.ofNullable(claim(buckets[bucketIndex(newcomer)], staleBefore));
    }

    /** {@link #claimStaleEntry} for every full bucket with newcomers waiting. */
    public synchronized List<PeerRef> claimStaleEntries(Instant staleBefore) {
        List<PeerRef> out = new ArrayList<>();
        for (KBucket bucket : buckets) {
            PeerRef claimed = claim(bucket, staleBefore);
            if (claimed != null) {
                out.add(claimed);
            }
        }
        return out;
    }

    /** Ends a liveness check of {@code peer} that neither confirmed nor removed it. */
    public synchronized void endLivenessCheck(PeerId peer, KadId kadId) {
        KBucket.Entry e = entry(peer, kadId);
        if (e != null) {
            e.checking = false;
        }
    }

    /** The entry for {@code peer}, if present. */
    public synchronized Optional<PeerRef> find(PeerId peer, KadId kadId) {
        KBucket.Entry e = entry(peer, kadId);
        return e == null ? Optional.empty() : Optional.of(e.peer);
    }

    /** Convenience for {@link #find(PeerId, KadId)} that hashes the id. */
    public Optional<PeerRef> find(PeerId peer) {
        return find(peer, KadId.of(peer));
    }

    /**
     * The {@code n} entries closest to {@code target}, closest first.
     *
     * <p>Walks buckets in distance order instead of sorting the whole table: with
     * {@code c = cpl(self, target)}, every peer of bucket c is closer than any other peer; the
     * peers of buckets above c come next (all at cpl c from the target), then buckets c-1, c-2...
     */
    public synchronized List<PeerRef> closest(KadId target, int n) {
        List<PeerRef> out = new ArrayList<>(n);
        if (n <= 0 || size == 0) {
            return out;
        }
        Comparator<PeerRef> byDistance = (a, b) -> target.compareDistance(a.kadId(), b.kadId());
        int c = bucketIndex(target);
        List<PeerRef> group = new ArrayList<>();
        collect(c, group);
        takeSorted(group, byDistance, out, n);
        if (out.size() < n) {
            group.clear();
            for (int i = c + 1; i < KadId.BITS; i++) {
                collect(i, group);
            }
            takeSorted(group, byDistance, out, n);
        }
        for (int i = c - 1; i >= 0 && out.size() < n; i--) {
            group.clear();
            collect(i, group);
            takeSorted(group, byDistance, out, n);
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }

    /** The number of entries in bucket {@code index}. */
    public synchronized int bucketSize(int index) {
        KBucket bucket = buckets[index];
        return bucket == null ? 0 : bucket.size();
    }

    /** The peers waiting in bucket {@code index}'s replacement cache, oldest first. */
    public synchronized List<PeerRef> replacements(int index) {
        KBucket bucket = buckets[index];
        return bucket == null ? List.of() : bucket.replacements();
    }

    /** The highest bucket index holding an entry, or -1 if the table is empty. */
    public synchronized int highestNonEmptyBucket() {
        for (int i = KadId.BITS - 1; i >= 0; i--) {
            if (buckets[i] != null && buckets[i].size() > 0) {
                return i;
            }
        }
        return -1;
    }

    /** Every entry, by bucket. */
    public synchronized List<EntryInfo> entries() {
        List<EntryInfo> out = new ArrayList<>(size);
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] != null) {
                for (KBucket.Entry e : buckets[i].entries()) {
                    out.add(new EntryInfo(e.peer, i, e.addedAt, e.lastSeen, e.failures));
                }
            }
        }
        return out;
    }

    /** Every peer in the table. */
    public synchronized List<PeerRef> peers() {
        return entries().stream().map(EntryInfo::peer).toList();
    }

    private void evict(KBucket bucket, PeerId peer, KadId kadId, Instant now) {
        KBucket.Entry removed = bucket.remove(peer, kadId);
        uncount(removed.peer);
        size--;
        for (PeerRef next = bucket.pollReplacement(); next != null; next = bucket.pollReplacement()) {
            if (fitsDiversity(next, bucket)) {
                bucket.add(next, now);
                count(next);
                size++;
                return;
            }
        }
    }

    private static PeerRef claim(KBucket bucket, Instant staleBefore) {
        if (bucket == null || !bucket.isFull() || bucket.replacementCount() == 0) {
            return null;
        }
        KBucket.Entry stale = bucket.stalestUnchecked(staleBefore);
        if (stale == null) {
            return null;
        }
        stale.checking = true;
        return stale.peer;
    }

    private KBucket.Entry entry(PeerId peer, KadId kadId) {
        KBucket bucket = buckets[bucketIndex(kadId)];
        return bucket == null ? null : bucket.find(peer, kadId);
    }

    private KBucket bucket(int index) {
        KBucket bucket = buckets[index];
        if (bucket == null) {
            bucket = new KBucket(k, replacementCapacity);
            buckets[index] = bucket;
        }
        return bucket;
    }

    private void collect(int index, List<PeerRef> into) {
        KBucket bucket = buckets[index];
        if (bucket != null) {
            for (KBucket.Entry e : bucket.entries()) {
                into.add(e.peer);
            }
        }
    }

    private static void takeSorted(List<PeerRef> group, Comparator<PeerRef> order, List<PeerRef> out, int n) {
        if (group.isEmpty()) {
            return;
        }
        group.sort(order);
        for (int i = 0; i < group.size() && out.size() < n; i++) {
            out.add(group.get(i));
        }
    }

    private boolean fitsDiversity(PeerRef peer, KBucket bucket) {
        Set<String> groups = diversity.groupsOf(peer);
        for (String group : groups) {
            if (groupCounts.getOrDefault(group, 0) >= diversity.maxPerTable()) {
                return false;
            }
            int inBucket = 0;
            for (KBucket.Entry e : bucket.entries()) {
                if (diversity.groupsOf(e.peer).contains(group)) {
                    inBucket++;
                }
            }
            if (inBucket >= diversity.maxPerBucket()) {
                return false;
            }
        }
        return true;
    }

    private void count(PeerRef peer) {
        for (String group : diversity.groupsOf(peer)) {
            groupCounts.merge(group, 1, Integer::sum);
        }
    }

    private void uncount(PeerRef peer) {
        for (String group : diversity.groupsOf(peer)) {
            groupCounts.computeIfPresent(group, (g, n) -> n > 1 ? n - 1 : null);
        }
    }
}
