package org.parley.node.api.dto;

import java.util.Map;

/**
 * The connection manager's state inside {@code GET /api/peers}: the connections and pending
 * handshakes open now, the watermarks and cap it works with, and what it refused and closed since
 * the node started, by reason (every reason present, zero if none). Reason names are the API's
 * contract: lower case, for example {@code handshakes_per_ip} or {@code trimmed_for_newcomer}.
 * Immutable; serialized by Jackson.
 */
public record ConnectionsAnswer(
        int open,
        int pendingHandshakes,
        int lowWater,
        int highWater,
        int max,
        Map<String, Long> refused,
        Map<String, Long> closed,
        long peerFaults) {}
