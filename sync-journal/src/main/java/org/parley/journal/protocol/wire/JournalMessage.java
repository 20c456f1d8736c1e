package org.parley.journal.protocol.wire;

import java.util.List;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.store.VersionVector;

/** A message of {@code /parley/journal/1.0.0}; {@link JournalCodec} reads and writes them. */
public sealed interface JournalMessage {

    /** What the sender holds: the first message each side sends. */
    record Vector(VersionVector vector) implements JournalMessage {}

    /** A batch of entries the receiver lacks, in chain order per device. */
    record Entries(List<JournalEntry> entries) implements JournalMessage {
        public Entries {
            entries = List.copyOf(entries);
        }
    }

    /** The sender has sent all it will this exchange; {@code more} if it stopped at the exchange limit. */
    record Done(boolean more) implements JournalMessage {}
}
