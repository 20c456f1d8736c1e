package org.parley.node.api.dto;

/**
 * {@code POST /api/files/fetch}: a file link to download into the data dir's {@code received/}
 * (the web page cannot name a directory). Immutable; the API reads the field by this name.
 */
public record FetchFileRequest(String link) {

    /** JSON field name. */
    public static final String LINK = "link";
}
