package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request naming one peer: {@code POST /api/dht/find-peer} and {@code /api/find-user}.
 * Immutable; the CLI sends it without its null fields, the API reads the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerRequest(String peer) {

    /** JSON field names. */
    public static final String PEER = "peer";
}
