package org.parley.libp2p.host;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the connection manager did since the host started, for a status page: how many
 * connections it refused and closed, by reason, and the limits it works with. A snapshot;
 * immutable.
 *
 * @param connections connections open now
 * @param pendingHandshakes inbound connections in their upgrade now
 * @param lowWater the low watermark in effect ({@link HostLimits#effectiveLowWater()})
 * @param highWater the high watermark in effect ({@link HostLimits#effectiveHighWater()})
 * @param maxConnections the hard cap
 * @param refused connections refused, by reason; every reason present, zero if none
 * @param closed connections the manager closed, by reason; every reason present, zero if none
 * @param peerFaults protocol violations by peers (garbage handshakes, broken muxer frames, bad
 *     identify messages); only the first few a minute are logged
 */
public record ConnectionStats(
        int connections,
        int pendingHandshakes,
        int lowWater,
        int highWater,
        int maxConnections,
        Map<Refusal, Long> refused,
        Map<Closure, Long> closed,
        long peerFaults) {

    /** Why an inbound connection was refused (closed right after accept or right after its upgrade). */
    public enum Refusal {
        /** All {@link HostLimits#maxConnections()} slots held, and no connection could be trimmed. */
        HOST_FULL,
        /** The peer already holds {@link HostLimits#maxConnectionsPerPeer()} connections. */
        PEER_FULL,
        /** Its address already runs {@link HostLimits#maxHandshakesPerIp()} handshakes. */
        HANDSHAKES_PER_IP,
        /** Every handshake slot of its subnet or of the host is held by a handshake too young to give way. */
        HANDSHAKES_FULL
    }

    /** Why the connection manager closed a connection or a pending handshake. */
    public enum Closure {
        /** Trimmed, idle and unprotected, because the host was above its high watermark. */
        TRIMMED_ABOVE_HIGH_WATER,
        /** Trimmed, idle and unprotected, to admit a new peer to a full host. */
        TRIMMED_FOR_NEWCOMER,
        /** A pending handshake, the oldest of its subnet or of the host, gave way to a new one. */
        HANDSHAKE_GAVE_WAY,
        /** A pending handshake ran past {@link HostLimits#pressureHandshakeTimeout()} while slots were scarce. */
        HANDSHAKE_TOO_SLOW_UNDER_PRESSURE
    }

    public ConnectionStats {
        refused = complete(refused, Refusal.class);
        closed = complete(closed, Closure.class);
    }

    /** The count for one reason. */
    public long refused(Refusal reason) {
        return refused.get(reason);
    }

    /** The count for one reason. */
    public long closed(Closure reason) {
        return closed.get(reason);
    }

    private static <E extends Enum<E>> Map<E, Long> complete(Map<E, Long> counts, Class<E> type) {
        EnumMap<E, Long> all = new EnumMap<>(type);
        for (E reason : type.getEnumConstants()) {
            all.put(reason, counts.getOrDefault(reason, 0L));
        }
        return Collections.unmodifiableMap(all);
    }
}
