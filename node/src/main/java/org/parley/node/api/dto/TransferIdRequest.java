package org.parley.node.api.dto;

/**
 * {@code POST /api/files/unshare}, {@code /api/transfers/show}, {@code pause}, {@code resume},
 * {@code cancel}: the file id of a share or download. Immutable.
 */
public record TransferIdRequest(String id) {

    /** JSON field name. */
    public static final String ID = "id";
}
