package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/files/unshare}, {@code /api/transfers/show}, {@code pause}, {@code resume},
 * {@code cancel}: the file id of a share or download; for {@code show}, optionally how long the node
 * may hold the answer while the download runs ({@code waitMillis}: it answers at once when the
 * download ends, so {@code get --wait} returns when the file is in place). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransferIdRequest(String id, Integer waitMillis) {

    /** JSON field names. */
    public static final String ID = "id";
    public static final String WAIT_MILLIS = "waitMillis";
    /** The longest a show may be held: a client's request timeout is far longer. */
    public static final int MAX_WAIT_MILLIS = 5_000;

    /** Just the id (every request but a waiting show). */
    public TransferIdRequest(String id) {
        this(id, null);
    }
}
