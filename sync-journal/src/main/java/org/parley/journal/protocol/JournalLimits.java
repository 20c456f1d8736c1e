package org.parley.journal.protocol;

import org.parley.journal.entry.EntryCodec;

/** The named limits of {@code /parley/journal/1.0.0}, each with the reason for its number. */
public final class JournalLimits {

    private JournalLimits() {}

    /** The largest entry, from its layout: 64 KiB of payload plus the header and signature. */
    public static final int MAX_ENTRY_BYTES = EntryCodec.MAX_ENTRY_BYTES;

    /**
     * Entries per batch: enough that per-batch framing is under 0.1% of the bytes for small chat
     * entries, few enough that a broken connection loses at most one batch of work.
     */
    public static final int MAX_BATCH_ENTRIES = 512;

    /**
     * A sender closes a batch once it holds this many bytes; one entry may take it past, so a
     * receiver accepts a frame of this plus one entry. 1 MiB keeps a receiver's buffer small while
     * one batch still fills a fast link's round trip.
     */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;

    /**
     * Devices in one version vector. A person links a handful of devices over the years and a
     * revoked device keeps its chain; 256 is far beyond that and bounds the vector at ~12 KiB.
     */
    public static final int MAX_VECTOR_DEVICES = 256;

    /**
     * Entries one side sends in one exchange; the rest follows in the next, from the new version
     * vector. 131,072 holds years of a heavy user's history, so a first sync of 100,000 entries is
     * one exchange, and bounds how long one exchange keeps both devices busy.
     */
    public static final int MAX_ENTRIES_PER_EXCHANGE = 131_072;

    /** The largest frame a receiver reads: a full batch, one entry over, and the batch framing. */
    public static final int MAX_FRAME_BYTES = MAX_BATCH_BYTES + MAX_ENTRY_BYTES + 4 * MAX_BATCH_ENTRIES + 16;
}
