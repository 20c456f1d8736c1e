package org.parley.dht.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;

/**
 * A fixed set of peers sorted by keyspace id, answering "who shares this prefix" and "who is
 * closest to this key" exactly and fast: the peers sharing a prefix form one contiguous run of
 * the sorted array. The simulation's global view, used to fill routing tables and to arm
 * adversaries. Immutable and thread safe.
 */
final class SortedKeyspace {

    private final PeerRef[] peers;
    private final KadId[] ids;

    SortedKeyspace(List<PeerRef> members) {
        this.peers = members.toArray(PeerRef[]::new);
        Arrays.sort(peers, Comparator.comparing(PeerRef::kadId));
        this.ids = new KadId[peers.length];
        for (int i = 0; i < peers.length; i++) {
            ids[i] = peers[i].kadId();
        }
    }

    int size() {
        return peers.length;
    }

    PeerRef get(int index) {
        return peers[index];
    }

    /** The index range {@code [from, to)} of peers whose first {@code bits} bits equal {@code id}'s. */
    int[] prefixRange(KadId id, int bits) {
        if (bits == 0) {
            return new int[] {0, peers.length};
        }
        byte[] low = id.bytes();
        byte[] high = id.bytes();
        for (int bit = bits; bit < KadId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            low[bit >>> 3] &= (byte) ~mask;
            high[bit >>> 3] |= (byte) mask;
        }
        return new int[] {lowerBound(KadId.fromBytes(low)), upperBound(KadId.fromBytes(high))};
    }

    /**
     * The index range of peers that belong in bucket {@code cpl} of a node with id {@code self}:
     * same first {@code cpl} bits, different next bit.
     */
    int[] bucketRange(KadId self, int cpl) {
        return prefixRange(self.flipBit(cpl), cpl + 1);
    }

    /** The {@code n} peers closest to {@code target}, closest first. */
    List<PeerRef> closest(KadId target, int n) {
        int bits = 0;
        int[] range = {0, peers.length};
        while (bits < KadId.BITS) {
            int[] deeper = prefixRange(target, bits + 1);
            if (deeper[1] - deeper[0] < n) {
                break;
            }
            range = deeper;
            bits++;
        }
        List<PeerRef> out = new ArrayList<>(range[1] - range[0]);
        for (int i = range[0]; i < range[1]; i++) {
            out.add(peers[i]);
        }
        out.sort((a, b) -> target.compareDistance(a.kadId(), b.kadId()));
        return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
    }

    private int lowerBound(KadId key) {
        int lo = 0;
        int hi = ids.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ids[mid].compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(KadId key) {
        int lo = 0;
        int hi = ids.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ids[mid].compareTo(key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
