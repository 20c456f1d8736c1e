package org.parley.node.api.dto;

/**
 * One exchange in {@code POST /api/sync/run}: entries received (and how many were new), entries
 * sent, frame bytes each way, and whether more remained for another exchange. Immutable;
 * serialized by Jackson, field names are the API's contract.
 */
public record SyncExchangeAnswer(String peerId, int received, int stored, int sent, long bytesReceived,
        long bytesSent, boolean more) {}
