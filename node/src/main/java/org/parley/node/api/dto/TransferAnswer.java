package org.parley.node.api.dto;

/**
 * One share or download, as every {@code /api/files/} and {@code /api/transfers/} route answers
 * it; see the node's {@code TransferView} for the fields. {@code etaSeconds}, {@code link} and
 * {@code error} may be null. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record TransferAnswer(String fileId, String kind, String name, String state, long bytesDone, long bytesTotal,
        double bytesPerSecond, Long etaSeconds, int peers, int piecesDone, int piecesTotal, int piecesFetched,
        String path, String link, String error) {}
