package org.parley.node.api.dto;

/**
 * {@code POST /api/files/get}: a file link and the absolute directory the file goes to. Immutable;
 * the CLI sends it, the API reads the fields by these names.
 */
public record GetFileRequest(String link, String out) {

    /** JSON field names. */
    public static final String LINK = "link";
    public static final String OUT = "out";
}
