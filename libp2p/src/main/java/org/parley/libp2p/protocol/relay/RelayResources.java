package org.parley.libp2p.protocol.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.wire.RelayStatus;

/**
 * The relay's book of reservations and open circuits, with its limits: decides, never does I/O.
 * Expired reservations are dropped when the book is next consulted. Thread safe (one lock).
 */
final class RelayResources {

    private record Held(Instant expires, String ip) {}

    private final RelayConfig config;
    private final Map<PeerId, Held> reservations = new HashMap<>();
    private final Map<PeerId, Integer> circuits = new HashMap<>();

    RelayResources(RelayConfig config) {
        this.config = config;
    }

    /**
     * Grants or renews {@code peer}'s reservation until {@code now} plus the TTL.
     *
     * @return the new expiry, or null if a limit refuses it; see {@link #refusal}
     */
    synchronized Instant reserve(PeerId peer, String ip, Instant now) {
        dropExpired(now);
        Held current = reservations.get(peer);
        if (current == null) {
            if (reservations.size() >= config.maxReservations()) {
                return null;
            }
            long fromIp = reservations.values().stream().filter(h -> h.ip().equals(ip)).count();
            if (fromIp >= config.maxReservationsPerIp()) {
                return null;
            }
        }
        Instant expires = now.plus(config.reservationTtl());
        reservations.put(peer, new Held(expires, ip));
        return expires;
    }

    /** The status of a refused reservation: the relay is full. */
    static RelayStatus refusal() {
        return RelayStatus.RESERVATION_REFUSED;
    }

    /** True if {@code peer} holds an unexpired reservation at {@code now}. */
    synchronized boolean reserved(PeerId peer, Instant now) {
        dropExpired(now);
        return reservations.containsKey(peer);
    }

    /** Drops {@code peer}'s reservation (its connection to us closed). */
    synchronized void release(PeerId peer) {
        reservations.remove(peer);
    }

    synchronized int reservationCount(Instant now) {
        dropExpired(now);
        return reservations.size();
    }

    /**
     * Counts a new circuit between {@code initiator} and {@code target}.
     *
     * @return false (and counts nothing) if either end has {@link RelayConfig#maxCircuitsPerPeer()} open
     */
    synchronized boolean openCircuit(PeerId initiator, PeerId target) {
        if (circuits.getOrDefault(initiator, 0) >= config.maxCircuitsPerPeer()
                || circuits.getOrDefault(target, 0) >= config.maxCircuitsPerPeer()) {
            return false;
        }
        circuits.merge(initiator, 1, Integer::sum);
        circuits.merge(target, 1, Integer::sum);
        return true;
    }

    /** Uncounts a circuit counted by {@link #openCircuit}. */
    synchronized void closeCircuit(PeerId initiator, PeerId target) {
        circuits.computeIfPresent(initiator, (p, n) -> n > 1 ? n - 1 : null);
        circuits.computeIfPresent(target, (p, n) -> n > 1 ? n - 1 : null);
    }

    synchronized int circuitCount(PeerId peer) {
        return circuits.getOrDefault(peer, 0);
    }

    /** Drops the reservations that ended by {@code now} and returns their peers. */
    synchronized List<PeerId> expire(Instant now) {
        List<PeerId> ended = new ArrayList<>();
        reservations.forEach((peer, held) -> {
            if (!held.expires().isAfter(now)) {
                ended.add(peer);
            }
        });
        ended.forEach(reservations::remove);
        return ended;
    }

    private void dropExpired(Instant now) {
        reservations.values().removeIf(held -> !held.expires().isAfter(now));
    }
}
