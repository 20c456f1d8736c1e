package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/dht/put}: the value is UTF-8 text. Immutable; the CLI sends it, the API reads
 * the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PutRequest(String key, String value) {

    /** JSON field names. */
    public static final String KEY = "key";
    public static final String VALUE = "value";
}
