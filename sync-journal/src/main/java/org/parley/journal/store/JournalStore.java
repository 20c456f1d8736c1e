package org.parley.journal.store;

import java.util.List;
import java.util.Optional;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.peer.PeerId;

/**
 * Where a device keeps the journal entries of every device of its user, chain by chain. The node
 * implements it on its database; {@link InMemoryJournalStore} serves tests and tools.
 *
 * <p>Contract: chains are held contiguously (entry n only after entry n-1), and
 * {@link #append} is all-or-nothing and durable when it returns. Callers check signatures and
 * chain links before appending ({@code EntryVerifier}); the store only refuses an entry that does
 * not extend its chain. Implementations are thread safe.
 */
public interface JournalStore {

    /** For each device held, its highest sequence number. */
    VersionVector versionVector();

    /** The last entry of {@code device}'s chain, or {@link ChainHead#NONE}. */
    ChainHead head(PeerId device);

    /** Entry {@code seq} of {@code device}, if held. */
    Optional<JournalEntry> get(PeerId device, long seq);

    /** Up to {@code limit} entries of {@code device} after {@code afterSeq}, in sequence order. */
    List<JournalEntry> after(PeerId device, long afterSeq, int limit);

    /**
     * Stores {@code entries} in one transaction: each must be the next of its device's chain (in
     * the order given), else nothing is stored.
     *
     * @throws IllegalArgumentException if an entry does not extend its chain
     */
    void append(List<JournalEntry> entries);

    /**
     * Stores {@code entries} as {@link #append(List)} does and runs {@code alongside} (the
     * application's record that these entries were made, e.g. dropping what it had queued for
     * them) in the same transaction: either both are kept or neither. If {@code alongside} throws,
     * nothing is stored. A store without transactions (in memory) runs it right after the append.
     *
     * @throws IllegalArgumentException if an entry does not extend its chain
     */
    default void append(List<JournalEntry> entries, Runnable alongside) {
        append(entries);
        alongside.run();
    }

    /** Up to {@code limit} entries in display order (HLC, device, sequence), skipping {@code offset}. */
    List<JournalEntry> inDisplayOrder(long offset, int limit);

    /** How many entries are held. */
    long count();
}
