package org.parley.node.api;

import java.time.Duration;

/**
 * How much the API lets one local client take: how long a connection may take to send a request
 * head, and how many connections may be open at once. Immutable.
 *
 * @param headerDeadline a connection that has not sent a complete request head this long after
 *     it opened (or after its last answer) is closed, however slowly it keeps sending bytes
 * @param maxConnections beyond this many open connections, new ones wait in the accept queue
 */
public record ApiLimits(Duration headerDeadline, int maxConnections) {

    /**
     * A local client writes its request head at once; ten seconds tolerate a machine that stalls,
     * while a client trickling one byte a second is cut long before it could pin the server.
     */
    public static final Duration DEFAULT_HEADER_DEADLINE = Duration.ofSeconds(10);
    /**
     * The web UI opens a handful (browsers use six per host), each CLI command one; 64 leaves room
     * for scripts running commands in parallel and bounds the sockets and threads one local
     * process can hold.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    public static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_HEADER_DEADLINE, DEFAULT_MAX_CONNECTIONS);

    public ApiLimits {
        if (headerDeadline.isNegative() || headerDeadline.isZero()) {
            throw new IllegalArgumentException("headerDeadline must be positive, got " + headerDeadline);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
    }
}
