package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/dht/providers}; {@code limit} may be null. Immutable; the CLI sends it, the API
 * reads the fields by these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvidersRequest(String key, Integer limit) {

    /** JSON field names. */
    public static final String KEY = "key";
    public static final String LIMIT = "limit";
}
