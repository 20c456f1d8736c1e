package org.parley.journal.store;

import java.util.Arrays;
import org.parley.journal.entry.JournalEntry;

/** The last stored entry of one device's chain: its sequence number and hash. Immutable. */
public record ChainHead(long seq, byte[] hash) {

    /** Before a device's first entry. */
    public static final ChainHead NONE = new ChainHead(0, JournalEntry.NO_PREVIOUS);

    public ChainHead {
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    public static ChainHead of(JournalEntry entry) {
        return new ChainHead(entry.seq(), entry.hash());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainHead other && other.seq == seq && Arrays.equals(other.hash, hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(hash);
    }
}
