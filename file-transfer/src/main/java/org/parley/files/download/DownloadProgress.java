package org.parley.files.download;

/**
 * A snapshot of a download: verified bytes (plaintext) of the total, the rate over this run in
 * bytes per second, verified pieces of the total, and the peers it is fetching from.
 */
public record DownloadProgress(long bytesDone, long bytesTotal, double bytesPerSecond, int piecesDone, int piecesTotal, int peers) {}
