package org.parley.libp2p.yamux;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a yamux session; {@link #DEFAULT} suits production, tests switch the
 * timers off with the {@code with...} methods. Immutable.
 *
 * @param maxStreamWindow the largest receive window one stream may grow to
 * @param maxFramePayload the largest DATA payload we send in one frame
 * @param maxInboundStreams inbound streams open at once; a SYN beyond it is answered with RST
 * @param maxUnackedOutboundStreams outbound streams the peer has not yet ACKed; {@code openStream}
 *     blocks while this many are pending
 * @param acceptBacklog inbound streams waiting for {@code acceptStream}; a SYN beyond it is
 *     answered with RST
 * @param writeTimeout how long one write to the connection may block before the session is
 *     closed; null for no limit
 * @param keepAliveInterval how often an idle session pings the peer; null for never
 * @param pingTimeout how long {@code ping()} and keepalive pings wait for the answer
 * @param measureRttAtStart ping once when the session starts, so that stream windows can grow
 *     from the first bulk transfer on
 */
public record YamuxConfig(
        int maxStreamWindow,
        int maxFramePayload,
        int maxInboundStreams,
        int maxUnackedOutboundStreams,
        int acceptBacklog,
        Duration writeTimeout,
        Duration keepAliveInterval,
        Duration pingTimeout,
        boolean measureRttAtStart) {

    /** The window each side assumes for every new stream in each direction (yamux spec). */
    public static final int INITIAL_STREAM_WINDOW = 256 * 1024;

    /**
     * go-yamux and js-yamux let a stream window grow to 16 MiB: enough for about 1 GB/s at 16 ms
     * RTT, and a bound on what one stream may buffer.
     */
    public static final int DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024;

    /**
     * As large as the initial window: fewer frames and wakeups per byte on bulk streams, and every
     * implementation accepts any DATA frame that fits the window. At 650 MB/s one such frame holds
     * the connection for 0.4 ms, so other streams still interleave finely enough.
     */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 256 * 1024;

    /** go-yamux and js-yamux accept 1000 inbound streams per connection. */
    public static final int DEFAULT_MAX_INBOUND_STREAMS = 1000;

    /** The yamux spec asks senders to keep at most 256 streams un-ACKed. */
    public static final int DEFAULT_MAX_UNACKED_OUTBOUND_STREAMS = 256;

    /**
     * go-yamux's accept backlog: a peer following the spec never has more than 256 streams
     * un-ACKed, and we ACK when the application accepts, so a larger backlog is never needed.
     */
    public static final int DEFAULT_ACCEPT_BACKLOG = 256;

    /** go-yamux's connection write timeout: a peer that reads nothing for 10 s is gone. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

    /** go-yamux and js-yamux ping an idle connection every 30 s, well inside NAT idle timeouts. */
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

    /** Matches the write timeout: a ping unanswered this long means the connection is dead. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(10);

    public static final YamuxConfig DEFAULT = new YamuxConfig(
            DEFAULT_MAX_STREAM_WINDOW,
            DEFAULT_MAX_FRAME_PAYLOAD,
            DEFAULT_MAX_INBOUND_STREAMS,
            DEFAULT_MAX_UNACKED_OUTBOUND_STREAMS,
            DEFAULT_ACCEPT_BACKLOG,
            DEFAULT_WRITE_TIMEOUT,
            DEFAULT_KEEP_ALIVE_INTERVAL,
            DEFAULT_PING_TIMEOUT,
            true);

    public YamuxConfig {
        if (maxStreamWindow < INITIAL_STREAM_WINDOW) {
            throw new IllegalArgumentException("maxStreamWindow " + maxStreamWindow
                    + " is below the initial window of " + INITIAL_STREAM_WINDOW);
        }
        requirePositive(maxFramePayload, "maxFramePayload");
        requirePositive(maxInboundStreams, "maxInboundStreams");
        requirePositive(maxUnackedOutboundStreams, "maxUnackedOutboundStreams");
        requirePositive(acceptBacklog, "acceptBacklog");
        requirePositiveOrNull(writeTimeout, "writeTimeout");
        requirePositiveOrNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        requirePositiveOrNull(pingTimeout, "pingTimeout");
    }

    public YamuxConfig withMaxStreamWindow(int value) {
        return new YamuxConfig(value, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    public YamuxConfig withMaxFramePayload(int value) {
        return new YamuxConfig(maxStreamWindow, value, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    public YamuxConfig withMaxInboundStreams(int value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, value, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    public YamuxConfig withMaxUnackedOutboundStreams(int value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, value,
                acceptBacklog, writeTimeout, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    public YamuxConfig withAcceptBacklog(int value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                value, writeTimeout, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    /** A copy with another write timeout; null for none. */
    public YamuxConfig withWriteTimeout(Duration value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, value, keepAliveInterval, pingTimeout, measureRttAtStart);
    }

    /** A copy with another keepalive interval; null for none. */
    public YamuxConfig withKeepAliveInterval(Duration value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, value, pingTimeout, measureRttAtStart);
    }

    public YamuxConfig withPingTimeout(Duration value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, keepAliveInterval, value, measureRttAtStart);
    }

    public YamuxConfig withMeasureRttAtStart(boolean value) {
        return new YamuxConfig(maxStreamWindow, maxFramePayload, maxInboundStreams, maxUnackedOutboundStreams,
                acceptBacklog, writeTimeout, keepAliveInterval, pingTimeout, value);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositiveOrNull(Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
