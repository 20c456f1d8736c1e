package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/messages}: send {@code text} to {@code contact} (user ID or local name) as {@code identity} (optional). Immutable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendRequest(String identity, String contact, String text) {

    /** JSON field names. */
    public static final String TEXT = "text";
}
