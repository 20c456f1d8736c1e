package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/connect}. Immutable; the CLI sends it without its null fields, the API reads the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectRequest(String multiaddr) {

    /** JSON field names. */
    public static final String MULTIADDR = "multiaddr";
}
