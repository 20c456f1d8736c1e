package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/messages/file}: send the file {@code link} (from {@code POST /api/files/share})
 * to {@code contact} as {@code identity} (optional). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendFileRequest(String identity, String contact, String link) {

    /** JSON field names. */
    public static final String LINK = "link";
}
