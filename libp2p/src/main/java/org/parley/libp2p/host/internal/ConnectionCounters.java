package org.parley.libp2p.host.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.host.ConnectionStats.Refusal;

/** The connection manager's counts of refused and closed connections, by reason. Thread safe. */
final class ConnectionCounters {

    private final AtomicLongArray refused = new AtomicLongArray(Refusal.values().length);
    private final AtomicLongArray closed = new AtomicLongArray(Closure.values().length);

    void refused(Refusal reason) {
        refused.incrementAndGet(reason.ordinal());
    }

    void closed(Closure reason) {
        closed.incrementAndGet(reason.ordinal());
    }

    Map<Refusal, Long> refused() {
        return snapshot(refused, Refusal.class);
    }

    Map<Closure, Long> closed() {
        return snapshot(closed, Closure.class);
    }

    private static <E extends Enum<E>> Map<E, Long> snapshot(AtomicLongArray counts, Class<E> type) {
        Map<E, Long> out = new EnumMap<>(type);
        for (E reason : type.getEnumConstants()) {
            out.put(reason, counts.get(reason.ordinal()));
        }
        return out;
    }
}
