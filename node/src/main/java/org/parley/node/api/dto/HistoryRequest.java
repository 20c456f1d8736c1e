package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/messages/history}: the latest {@code limit} (optional, default 50) messages with
 * {@code contact}; with the optional {@code before} (a message id), the latest of those older than
 * that message, to page back through a long history. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryRequest(String identity, String contact, Integer limit) {

    /** JSON field names. */
    public static final String LIMIT = "limit";
    public static final String BEFORE = "before";
}
