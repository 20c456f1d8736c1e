package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/ping}: either {@code peer} or {@code multiaddr}; {@code count} may be null.
 * Immutable; the CLI sends it without its null fields, the API reads the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PingRequest(String peer, String multiaddr, Integer count) {

    /** JSON field names. */
    public static final String PEER = "peer";
    public static final String MULTIADDR = "multiaddr";
    public static final String COUNT = "count";
}
