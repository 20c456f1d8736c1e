package org.parley.journal.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.parley.libp2p.peer.PeerId;

/**
 * For each device, the highest sequence number held with every entry below it: what a journal
 * has, in a few bytes per device. Chains are stored only contiguously, so this is the whole
 * answer to "which entries do you have". Immutable.
 */
public record VersionVector(Map<PeerId, Long> heads) {

    public static final VersionVector EMPTY = new VersionVector(Map.of());

    public VersionVector {
        for (var e : heads.entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("device " + e.getKey() + " has head " + e.getValue()
                        + "; a listed device holds at least entry 1");
            }
        }
        heads = Collections.unmodifiableMap(new TreeMap<>(heads));
    }

    /** The highest contiguous sequence number held for {@code device}, 0 for none. */
    public long head(PeerId device) {
        return heads.getOrDefault(device, 0L);
    }

    /** How many entries this vector holds that {@code other} lacks. */
    public long aheadOf(VersionVector other) {
        long n = 0;
        for (var e : heads.entrySet()) {
            n += Math.max(0, e.getValue() - other.head(e.getKey()));
        }
        return n;
    }

    /** The total number of entries the vector stands for. */
    public long total() {
        return heads.values().stream().mapToLong(Long::longValue).sum();
    }
}
