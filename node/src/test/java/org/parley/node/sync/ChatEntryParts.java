package org.parley.node.sync;

import java.util.List;
import org.parley.journal.Journal;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.entry.UnreadableEntryException;

/** For tests elsewhere: the chat changes a journal entry holds, as {@link ChatJournal} reads them. */
public final class ChatEntryParts {

    private ChatEntryParts() {}

    /** One change of an entry: the kind its own entry would have, and its plaintext payload. */
    public record Part(String kind, byte[] payload) {}

    /** The parts of {@code entry}: each of a {@code chat.changes} entry, or the entry itself. */
    public static List<Part> of(Journal journal, JournalEntry entry) throws UnreadableEntryException {
        return ChatChangesPayload.partsOf(entry.kind(), journal.open(entry)).stream()
                .map(p -> new Part(p.kind(), p.payload())).toList();
    }
}
