package org.parley.dht.routing;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.parley.libp2p.peer.PeerId;

/**
 * One k-bucket: at most k live entries plus a bounded cache of replacements that arrived while the
 * bucket was full. Not thread safe: {@link RoutingTable} guards it.
 *
 * <p>Kademlia's rule, kept here: a full bucket never drops a responsive entry for a newcomer
 * (long-lived peers are the likeliest to stay up); the newcomer waits in the replacement cache
 * until an entry fails.
 */
final class KBucket {

    /** A live entry; mutable, owned by its bucket. */
    static final class Entry {
        PeerRef peer;
        final Instant addedAt;
        Instant lastSeen;
        int failures;
        /** A liveness check of this entry is under way; no second one is started meanwhile. */
        boolean checking;

        Entry(PeerRef peer, Instant now) {
            this.peer = peer;
            this.addedAt = now;
            this.lastSeen = now;
        }
    }

    private final int capacity;
    private final int replacementCapacity;
    private final List<Entry> entries;
    /** Newest last: the most recently heard replacement is the first promoted. */
    private final ArrayDeque<PeerRef> replacements = new ArrayDeque<>();

    KBucket(int capacity, int replacementCapacity) {
        this.capacity = capacity;
        this.replacementCapacity = replacementCapacity;
        this.entries = new ArrayList<>(Math.min(capacity, 4));
    }

    /** The entry of the peer with this id and keyspace point; the point is compared first, it is cheaper. */
    Entry find(PeerId id, KadId kadId) {
        for (Entry e : entries) {
            if (e.peer.kadId().equals(kadId) && e.peer.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    boolean isFull() {
        return entries.size() >= capacity;
    }

    void add(PeerRef peer, Instant now) {
        if (isFull()) {
            throw new IllegalStateException("bucket already holds " + capacity + " entries");
        }
        removeReplacement(peer.id());
        entries.add(new Entry(peer, now));
    }

    /** Remembers {@code peer} for when an entry leaves; evicts the oldest replacement if needed. */
    void addReplacement(PeerRef peer) {
        removeReplacement(peer.id());
        if (replacements.size() >= replacementCapacity) {
            replacements.pollFirst();
        }
        replacements.addLast(peer);
    }

    boolean removeReplacement(PeerId id) {
        for (Iterator<PeerRef> it = replacements.iterator(); it.hasNext(); ) {
            if (it.next().id().equals(id)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    Entry remove(PeerId id, KadId kadId) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.peer.kadId().equals(kadId) && e.peer.id().equals(id)) {
                it.remove();
                return e;
            }
        }
        return null;
    }

    /** Takes the newest replacement, or null if none. */
    PeerRef pollReplacement() {
        return replacements.pollLast();
    }

    /**
     * The entry heard from least recently among those last seen before {@code staleBefore} and not
     * already being checked: the one whose liveness is worth checking first. Null if none.
     */
    Entry stalestUnchecked(Instant staleBefore) {
        Entry oldest = null;
        for (Entry e : entries) {
            if (!e.checking && e.lastSeen.isBefore(staleBefore)
                    && (oldest == null || e.lastSeen.isBefore(oldest.lastSeen))) {
                oldest = e;
            }
        }
        return oldest;
    }

    List<Entry> entries() {
        return entries;
    }

    int replacementCount() {
        return replacements.size();
    }

    List<PeerRef> replacements() {
        return List.copyOf(replacements);
    }

    int size() {
        return entries.size();
    }
}
