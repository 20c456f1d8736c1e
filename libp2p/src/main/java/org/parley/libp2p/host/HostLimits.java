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
 */
public record HostLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxInboundHandshakes,
        int maxStreamsPerConnection,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration dialTimeout) {

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

    public HostLimits {
        requirePositive(maxConnections, "maxConnections");
        requirePositive(maxConnectionsPerPeer, "maxConnectionsPerPeer");
        requirePositive(maxInboundHandshakes, "maxInboundHandshakes");
        requirePositive(maxStreamsPerConnection, "maxStreamsPerConnection");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(dialTimeout, "dialTimeout");
    }

    /** The default limits. */
    public static HostLimits defaults() {
        return new HostLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PEER,
                DEFAULT_MAX_INBOUND_HANDSHAKES, DEFAULT_MAX_STREAMS_PER_CONNECTION, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_DIAL_TIMEOUT);
    }

    public HostLimits withMaxConnections(int value) {
        return new HostLimits(value, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout);
    }

    public HostLimits withMaxConnectionsPerPeer(int value) {
        return new HostLimits(maxConnections, value, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout);
    }

    public HostLimits withMaxInboundHandshakes(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, value, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, dialTimeout);
    }

    public HostLimits withMaxStreamsPerConnection(int value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, value,
                idleTimeout, handshakeTimeout, dialTimeout);
    }

    public HostLimits withIdleTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                value, handshakeTimeout, dialTimeout);
    }

    public HostLimits withHandshakeTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, value, dialTimeout);
    }

    public HostLimits withDialTimeout(Duration value) {
        return new HostLimits(maxConnections, maxConnectionsPerPeer, maxInboundHandshakes, maxStreamsPerConnection,
                idleTimeout, handshakeTimeout, value);
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
