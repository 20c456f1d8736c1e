package org.parley.node.api.dto;

/**
 * {@code GET} and {@code POST /api/settings/download-rate}: the most bytes a second the node's
 * downloads write together, 0 for no limit; the request has the same field. Immutable.
 */
public record DownloadRateAnswer(long maxDownloadRate) {

    /** JSON field name. */
    public static final String MAX_DOWNLOAD_RATE = "maxDownloadRate";
}
