package org.parley.dht.routing;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * Limits how many routing-table peers may share an IP group (IPv4 /16, IPv6 /32), so one operator
 * with one address block cannot fill a table (an eclipse attack). Immutable and thread safe.
 *
 * <p>Only public addresses count: loopback and private addresses belong to tests and LANs, where
 * every peer shares a group by design.
 */
public final class IpDiversityFilter {

    /** Amino: at most 2 peers of one IP group per bucket. */
    public static final int DEFAULT_MAX_PER_BUCKET = 2;
    /** Amino: at most 3 peers of one IP group in the whole table. */
    public static final int DEFAULT_MAX_PER_TABLE = 3;
    /** An IPv4 /16 is the usual unit one hosting provider or ISP hands out. */
    private static final int IPV4_GROUP_BYTES = 2;
    /** An IPv6 /32 is the usual allocation of one provider (go uses ASNs, which we do not have). */
    private static final int IPV6_GROUP_BYTES = 4;

    private final boolean enabled;
    private final int maxPerBucket;
    private final int maxPerTable;

    public IpDiversityFilter(boolean enabled, int maxPerBucket, int maxPerTable) {
        if (maxPerBucket < 1 || maxPerTable < maxPerBucket) {
            throw new IllegalArgumentException("IP diversity limits must satisfy 1 <= per bucket (" + maxPerBucket
                    + ") <= per table (" + maxPerTable + ")");
        }
        this.enabled = enabled;
        this.maxPerBucket = maxPerBucket;
        this.maxPerTable = maxPerTable;
    }

    /** The Amino limits. */
    public static IpDiversityFilter amino() {
        return new IpDiversityFilter(true, DEFAULT_MAX_PER_BUCKET, DEFAULT_MAX_PER_TABLE);
    }

    /** No limits, for loopback tests and simulations. */
    public static IpDiversityFilter disabled() {
        return new IpDiversityFilter(false, DEFAULT_MAX_PER_BUCKET, DEFAULT_MAX_PER_TABLE);
    }

    public boolean enabled() {
        return enabled;
    }

    public int maxPerBucket() {
        return maxPerBucket;
    }

    public int maxPerTable() {
        return maxPerTable;
    }

    /** The groups of {@code peer}'s public IP addresses; empty when the filter is off. */
    Set<String> groupsOf(PeerRef peer) {
        if (!enabled) {
            return Set.of();
        }
        Set<String> groups = new HashSet<>();
        for (Multiaddr addr : peer.addrs()) {
            byte[] ip = addr.ipBytes();
            if (ip == null || !addr.isPublic()) {
                continue;
            }
            int prefix = ip.length == 4 ? IPV4_GROUP_BYTES : IPV6_GROUP_BYTES;
            groups.add((ip.length == 4 ? "4:" : "6:") + HexFormat.of().formatHex(ip, 0, prefix));
        }
        return groups;
    }
}
