package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/identities} ({@code name}: a new identity's display name) and
 * {@code POST /api/identities/retire} ({@code identity}: a user ID or display name) and
 * {@code POST /api/identities/name} (both: give {@code identity}, default the default one, display name {@code name}). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityRequest(String name, String identity) {

    /** JSON field names. */
    public static final String NAME = "name";
    public static final String IDENTITY = "identity";
}
