package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request naming one DHT key: {@code POST /api/dht/provide} and {@code /api/dht/get}. Immutable;
 * the CLI sends it, the API reads the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyRequest(String key) {

    /** JSON field names. */
    public static final String KEY = "key";
}
