package org.parley.node.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HlcTimestamp;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.crypto.Ed25519PrivateKey;

/**
 * Large journals made fast for the sync tests and the benchmark: one device's chain signed in
 * memory, then stored in big transactions, where appending through the journal costs one
 * transaction per entry.
 */
final class SignedChains {

    /** Entries per store transaction. */
    private static final int STORE_BATCH = 5_000;

    private SignedChains() {}

    /**
     * A chain of {@code count} entries of kind {@code kind} by the device of {@code key}, sealed with
     * {@link TestSyncSources#HISTORY_KEY}, payload {@code i} from {@code payload}, one millisecond
     * apart and ending now.
     */
    static List<JournalEntry> sign(Ed25519PrivateKey key, int count, String kind, IntFunction<byte[]> payload) {
        EntrySigner signer = new EntrySigner(key);
        List<JournalEntry> out = new ArrayList<>(count);
        byte[] previous = JournalEntry.NO_PREVIOUS;
        long start = System.currentTimeMillis() - count;
        for (int i = 0; i < count; i++) {
            JournalEntry e = signer.sign(i + 1, new HlcTimestamp(start + i, 0), previous, kind,
                    TestSyncSources.HISTORY_KEY, payload.apply(i));
            out.add(e);
            previous = e.hash();
        }
        return out;
    }

    /** Stores {@code entries} in {@code device}'s journal store, in big transactions. */
    static void store(SyncService device, List<JournalEntry> entries) {
        for (int i = 0; i < entries.size(); i += STORE_BATCH) {
            device.journal().store().append(entries.subList(i, Math.min(entries.size(), i + STORE_BATCH)));
        }
    }
}
