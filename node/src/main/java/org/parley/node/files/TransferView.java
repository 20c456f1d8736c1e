package org.parley.node.files;

/**
 * One share or download as {@code transfers} shows it, at one moment. Immutable.
 *
 * @param fileId the file id (base58btc multihash), which {@code pause}, {@code cancel} and
 *     {@code unshare} take
 * @param kind {@code share} or {@code download}
 * @param name the file's name
 * @param state {@code verifying} (a share read again after a restart), {@code seeding},
 *     {@code running}, {@code paused}, {@code done}, {@code failed} or {@code cancelled}
 * @param bytesDone verified plaintext bytes held (the whole size for a share)
 * @param bytesTotal the file's size
 * @param bytesPerSecond the download rate over its current run, 0 for a share
 * @param etaSeconds seconds left at that rate, null when unknown (no rate yet, or not running)
 * @param peers the peers a download is fetching from now
 * @param piecesDone verified pieces held
 * @param piecesTotal the file's pieces, 0 until a download has the manifest
 * @param piecesFetched pieces fetched from peers since the node started (a resume does not fetch
 *     the pieces its bitfield already holds)
 * @param path where the file is (a share) or will be (a download)
 * @param link the file's link (it holds the key: only for the node's own user)
 * @param error why a failed download stopped, else null
 */
public record TransferView(String fileId, String kind, String name, String state, long bytesDone, long bytesTotal,
        double bytesPerSecond, Long etaSeconds, int peers, int piecesDone, int piecesTotal, int piecesFetched,
        String path, String link, String error) {

    public static final String SHARE = "share";
    public static final String DOWNLOAD = "download";
}
