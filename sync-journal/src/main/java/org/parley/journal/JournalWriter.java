package org.parley.journal;

import org.parley.journal.entry.JournalEntry;

/**
 * What the rest of the node uses to put something in the user's history: appends one entry of
 * {@code kind} to this device's chain, sealed and signed, and durable when it returns. Siblings
 * learn of it at the next sync (the node pushes right after an append).
 */
@FunctionalInterface
public interface JournalWriter {

    /**
     * Appends an entry.
     *
     * @param kind what it is to the application, e.g. {@code chat.sent}: 1..64 ASCII letters,
     *     digits, '.', '-', '_'
     * @param payload the plaintext, at most {@link org.parley.journal.entry.EntryCodec#MAX_PAYLOAD_BYTES};
     *     the journal seals it with the history key and never stores it in the clear
     * @return the stored entry
     */
    JournalEntry append(String kind, byte[] payload);
}
