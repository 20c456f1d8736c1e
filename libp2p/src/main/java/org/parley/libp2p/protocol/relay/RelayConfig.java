package org.parley.libp2p.protocol.relay;

import java.time.Duration;
import org.parley.libp2p.protocol.relay.wire.RelayLimit;

/**
 * The limits of a relay's hop service. {@link #defaults()} are go-libp2p's
 * ({@code p2p/protocol/circuitv2/relay/resources.go}), so a Parley relay is as generous as the
 * relays the rest of the network runs, and no more.
 *
 * @param reservationTtl how long a reservation lasts before the client must refresh it
 * @param maxReservations reservations held at once, all peers together
 * @param maxReservationsPerIp reservations from one IP address
 * @param maxCircuitsPerPeer open circuits a peer may be an end of, as initiator or target
 * @param circuitDuration the longest life of one circuit; zero for none
 * @param circuitDataBytes bytes relayed per direction on one circuit; zero for none
 */
public record RelayConfig(Duration reservationTtl, int maxReservations, int maxReservationsPerIp,
        int maxCircuitsPerPeer, Duration circuitDuration, long circuitDataBytes) {

    /** An hour: long enough that refreshes are rare, short enough that a vanished client frees its slot. */
    public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofHours(1);
    /** go's default: a relay serves a neighbourhood, not the network. */
    public static final int DEFAULT_MAX_RESERVATIONS = 128;
    /** go's default: one household or NAT gets a fair share, not all of the slots. */
    public static final int DEFAULT_MAX_RESERVATIONS_PER_IP = 8;
    /** go's default: enough for signaling with several peers at once. */
    public static final int DEFAULT_MAX_CIRCUITS_PER_PEER = 16;
    /** go's default: a relayed connection is for signaling and hole punching, which take seconds. */
    public static final Duration DEFAULT_CIRCUIT_DURATION = Duration.ofMinutes(2);
    /** go's default (1 << 17): plenty for identify and SDP exchange, useless for bulk transfer. */
    public static final long DEFAULT_CIRCUIT_DATA_BYTES = 128 * 1024;

    public RelayConfig {
        if (reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new IllegalArgumentException("reservationTtl must be positive: " + reservationTtl);
        }
        if (maxReservations < 0 || maxReservationsPerIp < 0 || maxCircuitsPerPeer < 0) {
            throw new IllegalArgumentException("relay limits cannot be negative");
        }
        if (circuitDuration.isNegative() || circuitDataBytes < 0) {
            throw new IllegalArgumentException("circuit limits cannot be negative");
        }
    }

    /** go-libp2p's defaults. */
    public static RelayConfig defaults() {
        return new RelayConfig(DEFAULT_RESERVATION_TTL, DEFAULT_MAX_RESERVATIONS, DEFAULT_MAX_RESERVATIONS_PER_IP,
                DEFAULT_MAX_CIRCUITS_PER_PEER, DEFAULT_CIRCUIT_DURATION, DEFAULT_CIRCUIT_DATA_BYTES);
    }

    public RelayConfig withReservationTtl(Duration value) {
        return new RelayConfig(value, maxReservations, maxReservationsPerIp, maxCircuitsPerPeer, circuitDuration,
                circuitDataBytes);
    }

    public RelayConfig withMaxReservations(int value) {
        return new RelayConfig(reservationTtl, value, maxReservationsPerIp, maxCircuitsPerPeer, circuitDuration,
                circuitDataBytes);
    }

    public RelayConfig withMaxReservationsPerIp(int value) {
        return new RelayConfig(reservationTtl, maxReservations, value, maxCircuitsPerPeer, circuitDuration,
                circuitDataBytes);
    }

    public RelayConfig withMaxCircuitsPerPeer(int value) {
        return new RelayConfig(reservationTtl, maxReservations, maxReservationsPerIp, value, circuitDuration,
                circuitDataBytes);
    }

    public RelayConfig withCircuitDuration(Duration value) {
        return new RelayConfig(reservationTtl, maxReservations, maxReservationsPerIp, maxCircuitsPerPeer, value,
                circuitDataBytes);
    }

    public RelayConfig withCircuitDataBytes(long value) {
        return new RelayConfig(reservationTtl, maxReservations, maxReservationsPerIp, maxCircuitsPerPeer,
                circuitDuration, value);
    }

    /** The limit announced to both ends of each circuit. */
    public RelayLimit circuitLimit() {
        return new RelayLimit(Duration.ofSeconds(circuitDuration.toSeconds()), circuitDataBytes);
    }
}
