package org.parley.libp2p.host;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection manager's limits and timers; {@link #defaults()} suits a desktop node, tests and
 * servers adjust single values with the {@code with...} methods. Immutable.
 *
 * @param maxConnections connections open at once, in both directions; an inbound connection beyond
 *     it is closed right after accept, an outbound dial fails with {@link ConnectionLimitException}
 * @param maxConnectionsPerPeer connections to one peer; a further inbound one is closed, a further
 *     outbound one is closed and the existing one is used
 * @param maxInboundHandshakes inbound connections in their upgrade (multistream-select, Noise,
 *     muxer) at once; further ones are closed right after accept
 * @param maxStreamsPerConnection inbound streams a peer may hold open on one connection (yamux)
 * @param idleTimeout a connection without streams for this long is closed, unless its peer is
 *     protected ({@link Host#protect})
 * @param handshakeTimeout the whole upgrade of one connection must finish within this
 * @param dialTimeout how long a TCP connect may take before the address counts as unreachable
 * @param maxHandshakesPerIp inbound handshakes from one IP address at once; a further one is
 *     closed right after accept, so one address cannot hold the handshake slots of everyone
 * @param maxHandshakesPerSubnet inbound handshakes from one /24 (IPv4) or /56 (IPv6) at once; a
 *     further one makes the subnet's oldest pending handshake give way
 * @param pressureHandshakeTimeout while at least half of {@code maxInboundHandshakes} are in use,
 *     a pending handshake older than this is closed when the next connection arrives
 * @param lowWater the connection manager trims down to this many connections
 * @param highWater above this many connections the connection manager trims idle, unprotected
 *     peers (down to {@code lowWater}); the room between it and {@code maxConnections} is kept for
 *     newcomers. Values above {@code maxConnections} count as {@code maxConnections}
 * @param gracePeriod a connection younger than this is never trimmed
 */
public record HostLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxInboundHandshakes,
        int maxStreamsPerConnection,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration dialTimeout,
        int maxHandshakesPerIp,
        int maxHandshakesPerSubnet,
        Duration pressureHandshakeTimeout,
        int lowWater,
        int highWater,
        Duration gracePeriod) {

    /**
     * A node serves the DHT (a full routing table is 20 peers in each of ~20 busy buckets) plus
     * chats, transfers and relayed peers; 256 covers that with room, while bounding memory and file
     * descriptors. An idle connection costs 70 to 90 KiB of RSS (55 KiB of live heap; measured by
     * {@code scripts/bench stream --only memory}); one carrying bulk traffic holds about 180 KiB more
     * for full-size Noise frames, plus its streams' receive windows.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    /**
     * One connection each way from a simultaneous dial, plus one while a relayed connection is
     * replaced by a direct one.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 3;

    /**
     * Each handshake costs a few signature and DH operations; 64 at once keeps a flood of
     * connection attempts from starving established connections of CPU on a 2-core machine.
     */
    public static final int DEFAULT_MAX_INBOUND_HANDSHAKES = 64;

    /** go-yamux and js-yamux accept 1000 inbound streams per connection. */
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 1000;

    /**
     * Longer than the gaps between a DHT node's refreshes and a chat's bursts, so busy peers keep
     * their connection, but idle ones give back their slot within minutes.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** go-libp2p's upgrade timeout: a handshake takes a few round trips, even over slow links. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** go-libp2p's TCP connect timeout: an address that does not answer by then is dead for us. */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * An honest peer runs one handshake with us at a time, two in a simultaneous dial; but several
     * devices behind one home or office NAT, or several nodes on one machine, share an address and
     * may dial together. go-libp2p's resource manager allows 8 connections per IPv4 address; an
     * address that floods us holds 1/8 of the default 64 slots.
     */
    public static final int DEFAULT_MAX_HANDSHAKES_PER_IP = 8;

    /**
     * A /24 (or /56) is one site or one rented block, what one attacker cheaply holds many
     * addresses in; half of the default 64 slots leaves the other half to the rest of the
     * internet, and within the subnet silent sockets give way to newcomers.
     */
    public static final int DEFAULT_MAX_HANDSHAKES_PER_SUBNET = 32;

    /**
     * A handshake takes three round trips plus a few milliseconds of crypto; 3 s is ten round
     * trips across the planet, while a silent socket under pressure holds its slot 3 s, not 10.
     */
    public static final Duration DEFAULT_PRESSURE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

    /** go-libp2p's connection manager default: trim down to 160 of its 192 high watermark. */
    public static final int DEFAULT_LOW_WATER = 160;

    /**
     * go-libp2p's default; with our cap of 256 it leaves 64 slots for newcomers, as many as can
     * be handshaking at once.
     */
    public static final int DEFAULT_HIGH_WATER = 192;

    /**
     * Long enough for a new peer to identify and open its first streams (a DHT query, a chat
     * message) before it can be trimmed; go-libp2p uses a minute, we trim sooner to free room.
     */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

    public HostLimits {
        requirePositive(maxConnections, "maxConnections");
        requirePositive(maxConnectionsPerPeer, "maxConnectionsPerPeer");
        requirePositive(maxInboundHandshakes, "maxInboundHandshakes");
        requirePositive(maxStreamsPerConnection, "maxStreamsPerConnection");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(dialTimeout, "dialTimeout");
        requirePositive(maxHandshakesPerIp, "maxHandshakesPerIp");
        requirePositive(maxHandshakesPerSubnet, "maxHandshakesPerSubnet");
        requirePositive(pressureHandshakeTimeout, "pressureHandshakeTimeout");
        requirePositive(lowWater, "lowWater");
        requirePositive(highWater, "highWater");
        requirePositive(gracePeriod, "gracePeriod");
        if (lowWater > highWater) {
            throw new IllegalArgumentException("lowWater (" + lowWater + ") must not exceed highWater (" + highWater
                    + ")");
        }
    }

    /** The default limits. */
    public static HostLimits defaults() {
        return new HostLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PEER,
                DEFAULT_MAX_INBOUND_HANDSHAKES, DEFAULT_MAX_STREAMS_PER_CONNECTION, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_DIAL_TIMEOUT, DEFAULT_MAX_HANDSHAKES_PER_IP,
                DEFAULT_MAX_HANDSHAKES_PER_SUBNET, DEFAULT_PRESSURE_HANDSHAKE_TIMEOUT, DEFAULT_LOW_WATER,
                DEFAULT_HIGH_WATER, DEFAULT_GRACE_PERIOD);
    }

    /** The high watermark in effect: {@link #highWater()}, at most {@link #maxConnections()}. */
    public int effectiveHighWater() {
        return Math.min(highWater, maxConnections);
    }

    /** The low watermark in effect: {@link #lowWater()}, at most {@link #effectiveHighWater()}. */
    public int effectiveLowWater() {
        return Math.min(lowWater, effectiveHighWater());
    }

    public HostLimits withMaxConnections(int value) {
        return new HostLimits(value, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withMaxConnectionsPerPeer(int value) {
        return new HostLimits(maxConnections, value, maxInboundHandshakes, maxStreamsPerConnection, idleTimeout,
                handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withMaxInboundHandshakes(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, value, maxStreamsPerConnection, idleTimeout,
                handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withMaxStreamsPerConnection(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, value, idleTimeout,
                handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withIdleTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                value, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withHandshakeTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, value, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withDialTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, value, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withMaxHandshakesPerIp(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, value, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withMaxHandshakesPerSubnet(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, value,
                pressureHandshakeTimeout, lowWater, highWater, gracePeriod);
    }

    public HostLimits withPressureHandshakeTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet, value,
                lowWater, highWater, gracePeriod);
    }

    public HostLimits withLowWater(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, value, highWater, gracePeriod);
    }

    public HostLimits withHighWater(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, value, gracePeriod);
    }

    public HostLimits withGracePeriod(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, lowWater, highWater, value);
    }

    /** Both watermarks at once, since each must respect the other. */
    public HostLimits withWatermarks(int low, int high) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout, maxHandshakesPerIp, maxHandshakesPerSubnet,
                pressureHandshakeTimeout, low, high, gracePeriod);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
