package org.parley.node.api.dto;

/**
 * {@code POST /api/files/share}: the absolute path of the file to share, as the node's machine
 * sees it. Immutable; the CLI sends it, the API reads the field by this name.
 */
public record ShareRequest(String path) {

    /** JSON field name. */
    public static final String PATH = "path";
}
