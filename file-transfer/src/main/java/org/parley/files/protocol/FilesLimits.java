package org.parley.files.protocol;

/** The named limits of {@code /parley/files/1.0.0} and of a download, each with its reason. */
public final class FilesLimits {

    /**
     * Piece requests one initiator keeps in flight on a stream. Four 256 KiB pieces (1 MiB) cover
     * the bandwidth-delay product of a 100 Mbit/s link at 80 ms, and the seeder always has the next
     * request queued while it sends a piece. Not yet tuned by measurement: on the shared 2-core
     * machine FilesBench gave 44 to 121 MB/s for the same code, which hid any difference between
     * depths 2, 4 and 8; again on 2026-12-03 at load average 14 to 25, two runs of
     * {@code scripts/bench files-module 256} back to back gave 53 and 28 MB/s at depth 4; at load 7
     * to 11, interleaved runs of 1 seeder to 1 leecher gave 55 and 124 MB/s at depth 16 against 102
     * and 82 MB/s at depth 4 (3 seeders: 50 and 140 against 113 and 102), no difference the noise
     * does not swallow. On 2026-12-05, with pieces written beside their verification and at load
     * 1.5 to 2.5, six runs of {@code scripts/bench files} in turn (depths 8, 16, 4, 8, 16, 4) gave
     * 1 seeder to 1 leecher 196.5 and 197.0 MB/s at depth 4 (9.0 and 9.2 CPU s per GiB), 159.9 and
     * 182.7 at 8 (11.9 and 10.1), 183.8 and 190.5 at 16 (10.2 and 9.9); 3 seeders to 1: 207 and
     * 209, 177 and 216, 226 and 246 MB/s. Depth 16 gives 3 seeders 10 to 18% more but costs the
     * common case of one seeder 3 to 8% and more CPU, so it stays at 4, which also holds the
     * fewest buffers.
     */
    public static final int MAX_REQUESTS_IN_FLIGHT = 4;
    /**
     * Peers one download fetches from at once: each holds at most three piece buffers (one read,
     * one being verified, one being written), so with the 4 MiB chunks of a 10 GiB file a
     * download's buffers stay under 96 MiB; only files over 32 GiB (16 MiB chunks) could reach
     * 384 MiB with all eight peers busy.
     */
    public static final int MAX_PEERS_PER_DOWNLOAD = 8;
    /** Bad pieces a peer may send before it is dropped: the first is penalised (it may be a disk error at the seeder), the second ends it. */
    public static final int MAX_BAD_PIECES_PER_PEER = 2;
    /** Pieces fetched in random order at the start, so new leechers soon hold something others lack. */
    public static final int RANDOM_FIRST_PIECES = 4;
    /** In endgame a missing piece is asked of at most this many peers at once, so the last pieces come from the fastest without flooding the rest. */
    public static final int MAX_ENDGAME_REQUESTERS = 2;
    /**
     * How long a peer with none of the pieces we lack keeps its slot after its stream opened or its
     * last have: a download in progress verifies a 256 KiB piece every 2.6 s even at 100 KB/s, so 10 s
     * of silence means it is not getting more (paused, or stalled), and the slot goes to another source.
     */
    public static final long PARTIAL_SEEDER_PATIENCE_MILLIS = 10_000;
    /**
     * Least time between the starts of two saves of a download's bitfield (each syncs the partial
     * file first): a crash refetches at most what arrived in this time and the last sync.
     */
    public static final long BITFIELD_SAVE_INTERVAL_MILLIS = 1000;
    /**
     * Inbound streams one responder serves at once across all its files. Each holds a chunk buffer
     * and the sealed piece it sends: with the 4 MiB chunks of a 10 GiB file that is at most 128 MiB
     * of buffers, and leechers cannot queue unbounded disk reads.
     */
    public static final int MAX_INBOUND_STREAMS = 16;

    private FilesLimits() {}
}
