package org.parley.dht.provider;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.peer.PeerId;

/**
 * The provider records this node holds as a DHT server: for each key (a multihash), which peers
 * said they can serve it, with their addresses. Thread safe.
 *
 * <p>An entry lives for the provider expiry (48 h; providers republish every 22 h); its addresses
 * are handed out only for the shorter address TTL (24 h), after which askers must look the
 * provider up. Both a per-key and a total limit bound memory whatever peers send.
 */
public final class ProviderStore {

    private record Entry(PeerRef provider, Instant addedAt) {}

    private final Duration expiry;
    private final Duration addrTtl;
    private final int maxPerKey;
    private final int maxTotal;
    private final Map<ByteBuffer, LinkedHashMap<PeerId, Entry>> byKey = new HashMap<>();
    private int total;

    public ProviderStore(Duration expiry, Duration addrTtl, int maxPerKey, int maxTotal) {
        this.expiry = expiry;
        this.addrTtl = addrTtl;
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
    }

    /**
     * Records that {@code provider} serves {@code key}, or refreshes its entry. A full key drops
     * its oldest entry (honest providers republish, so they come back); when the whole store is
     * full, expired entries are purged and, failing that, a new entry is refused.
     *
     * @return false if the entry was refused because the store is full
     */
    public synchronized boolean add(byte[] key, PeerRef provider, Instant now) {
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        LinkedHashMap<PeerId, Entry> entries = byKey.get(k);
        if (entries != null && entries.remove(provider.id()) != null) {
            entries.put(provider.id(), new Entry(provider, now));
            return true;
        }
        if (total >= maxTotal) {
            expire(now);
            if (total >= maxTotal) {
                return false;
            }
            entries = byKey.get(k);
        }
        if (entries == null) {
            entries = new LinkedHashMap<>();
            byKey.put(k, entries);
        }
        if (entries.size() >= maxPerKey) {
            Iterator<PeerId> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
            total--;
        }
        entries.put(provider.id(), new Entry(provider, now));
        total++;
        return true;
    }

    /**
     * The live providers of {@code key}, newest last; addresses older than the address TTL are
     * left out.
     */
    public synchronized List<PeerRef> get(byte[] key, Instant now) {
        LinkedHashMap<PeerId, Entry> entries = byKey.get(ByteBuffer.wrap(key));
        if (entries == null) {
            return List.of();
        }
        Instant expiredBefore = now.minus(expiry);
        Instant addrsStaleBefore = now.minus(addrTtl);
        List<PeerRef> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            if (e.addedAt.isBefore(expiredBefore)) {
                continue;
            }
            out.add(e.addedAt.isBefore(addrsStaleBefore) ? e.provider.withAddrs(List.of()) : e.provider);
        }
        return out;
    }

    /** Drops {@code provider}'s entry for {@code key} (this node stopped providing it); whether there was one. */
    public synchronized boolean remove(byte[] key, PeerId provider) {
        ByteBuffer k = ByteBuffer.wrap(key);
        LinkedHashMap<PeerId, Entry> entries = byKey.get(k);
        if (entries == null || entries.remove(provider) == null) {
            return false;
        }
        total--;
        if (entries.isEmpty()) {
            byKey.remove(k);
        }
        return true;
    }

    /** Drops expired entries; returns how many. */
    public synchronized int expire(Instant now) {
        Instant expiredBefore = now.minus(expiry);
        int removed = 0;
        for (Iterator<LinkedHashMap<PeerId, Entry>> keys = byKey.values().iterator(); keys.hasNext(); ) {
            LinkedHashMap<PeerId, Entry> entries = keys.next();
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (it.next().addedAt.isBefore(expiredBefore)) {
                    it.remove();
                    removed++;
                }
            }
            if (entries.isEmpty()) {
                keys.remove();
            }
        }
        total -= removed;
        return removed;
    }

    /** The number of entries held, expired ones included until the next {@link #expire}. */
    public synchronized int size() {
        return total;
    }
}
