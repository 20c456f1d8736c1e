package org.parley.libp2p.host.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps room for new peers, as go-libp2p's connection manager does: above the high watermark it
 * trims connections down to the low watermark, and at the hard cap it trims one to admit a peer
 * that has finished its handshake. Only a connection without open streams whose peer is not
 * protected ({@code Host.protect}: bootstrap peers, contacts' devices) is ever trimmed, the
 * longest idle first; above the watermark only those past their grace period. At the cap a
 * connection in its grace period may give way to a newcomer too, once it has been idle for
 * {@link #IDLE_BEFORE_GIVING_WAY}: otherwise a crowd arriving at once would fill the cap and keep
 * everyone out for a whole grace period. Thread safe; one trim runs at a time.
 */
final class ConnectionManager {

    /**
     * The longest gap between two checks of the watermarks: a node above its high watermark
     * (its newest peers in their grace period) gets back to the low one this soon after.
     */
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(10);

    /** The shortest gap, so tests with tiny grace periods do not spin the timer. */
    static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);

    /**
     * A peer that identified and then did nothing for this long is not about to use its
     * connection; a peer that is about to (a DHT query, a chat) opens its first stream within
     * a few round trips of identify. Longer keeps a full node shut for that long whenever a crowd
     * fills it at once: {@code scripts/bench hostile} (300 idle peers dialing together) saw the
     * honest newcomer refused in 5 of 30 tries with 5 s, 1 of 30 with 1 s, none with 250 ms.
     */
    static final Duration IDLE_BEFORE_GIVING_WAY = Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    /** What the manager needs to know about a connection to choose whom to trim. */
    record Candidate<C>(C connection, PeerId peer, Instant openedAt, int streams, Duration idle) {}

    private final HostLimits limits;
    private final ConnectionRegistry registry;
    private final Set<PeerId> protectedPeers;
    private final ConnectionCounters counters;
    private final HostThreads threads;
    private final Clock clock;
    private final ReentrantLock trimming = new ReentrantLock();

    ConnectionManager(HostLimits limits, ConnectionRegistry registry, Set<PeerId> protectedPeers,
            ConnectionCounters counters, HostThreads threads, Clock clock) {
        this.limits = limits;
        this.registry = registry;
        this.protectedPeers = protectedPeers;
        this.counters = counters;
        this.threads = threads;
        this.clock = clock;
    }

    /** How often the host should call {@link #trim()}: half the grace period, within the bounds above. */
    Duration checkInterval() {
        Duration half = limits.gracePeriod().dividedBy(2);
        return half.compareTo(MIN_CHECK_INTERVAL) < 0 ? MIN_CHECK_INTERVAL
                : half.compareTo(MAX_CHECK_INTERVAL) > 0 ? MAX_CHECK_INTERVAL : half;
    }

    /** True if a full host could trim a connection for a newcomer now. */
    boolean canMakeRoom() {
        return !victims(candidates(), 1, clock.instant(), limits.gracePeriod(), protectedPeers,
                IDLE_BEFORE_GIVING_WAY).isEmpty();
    }

    /** Trims one connection so a newcomer fits under the hard cap; false if none may be trimmed. */
    boolean makeRoom() {
        trimming.lock();
        try {
            List<HostConnection> chosen = victims(candidates(), 1, clock.instant(), limits.gracePeriod(),
                    protectedPeers, IDLE_BEFORE_GIVING_WAY);
            chosen.forEach(c -> close(c, Closure.TRIMMED_FOR_NEWCOMER));
            return !chosen.isEmpty();
        } finally {
            trimming.unlock();
        }
    }

    /** Above the high watermark, trims down to the low one; returns how many connections it closed. */
    int trim() {
        if (!trimming.tryLock()) {
            return 0; // another trim is running and sees the same connections
        }
        try {
            int open = registry.size();
            if (open <= limits.effectiveHighWater()) {
                return 0;
            }
            List<HostConnection> chosen = victims(candidates(), open - limits.effectiveLowWater(), clock.instant(),
                    limits.gracePeriod(), protectedPeers, null);
            chosen.forEach(c -> close(c, Closure.TRIMMED_ABOVE_HIGH_WATER));
            if (!chosen.isEmpty()) {
                log.debug("trimmed {} idle connections: {} were open, above the high watermark of {}",
                        chosen.size(), open, limits.effectiveHighWater());
            }
            return chosen.size();
        } finally {
            trimming.unlock();
        }
    }

    /**
     * Up to {@code count} connections to trim, longest idle first: only those without open
     * streams, to peers not protected, and past the grace period or, if {@code idleInGrace} is
     * not null, idle at least that long.
     */
    static <C> List<C> victims(List<Candidate<C>> candidates, int count, Instant now, Duration grace,
            Set<PeerId> protectedPeers, Duration idleInGrace) {
        List<Candidate<C>> eligible = new ArrayList<>();
        for (Candidate<C> candidate : candidates) {
            boolean pastGrace = Duration.between(candidate.openedAt(), now).compareTo(grace) >= 0;
            boolean idleEnough = idleInGrace != null && candidate.idle().compareTo(idleInGrace) >= 0;
            if (candidate.streams() == 0
                    && !protectedPeers.contains(candidate.peer())
                    && (pastGrace || idleEnough)) {
                eligible.add(candidate);
            }
        }
        eligible.sort(Comparator.comparing((Candidate<C> c) -> c.idle()).reversed());
        return eligible.stream().limit(Math.max(0, count)).map(Candidate::connection).toList();
    }

    private List<Candidate<HostConnection>> candidates() {
        long now = clock.millis();
        List<Candidate<HostConnection>> out = new ArrayList<>();
        for (HostConnection connection : registry.all()) {
            out.add(new Candidate<>(connection, connection.remotePeer(), connection.openedAt(),
                    connection.streamCount(), connection.idleTime(now)));
        }
        return out;
    }

    /** Frees the slot at once; the close itself (a GoAway write) may block on a slow peer, so it runs apart. */
    private void close(HostConnection connection, Closure reason) {
        counters.closed(reason);
        log.debug("trimming {}: {}", connection, reason);
        registry.remove(connection);
        threads.start("trim-close", connection::close);
    }
}
