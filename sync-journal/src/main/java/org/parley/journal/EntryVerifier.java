package org.parley.journal;

import java.util.Optional;
import org.parley.journal.InvalidEntryException.Reason;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.store.ChainHead;
import org.parley.journal.store.JournalStore;

/** The checks a received entry passes before it is stored: device list, signature, chain. Stateless. */
final class EntryVerifier {

    private EntryVerifier() {}

    /**
     * Checks {@code entry} against its device's chain head.
     *
     * @param authentic whether its signature, or a successor's that names its hash, is its device's
     *     ({@link BatchAuthenticity}, computed by the caller)
     * @return true if it is the next entry and should be stored, false if the same entry is already held
     * @throws InvalidEntryException if any check fails
     */
    static boolean check(JournalEntry entry, boolean authentic, ChainHead head, JournalStore store,
            DeviceRoster roster)
            throws InvalidEntryException {
        if (roster.isRevoked(entry.device())) {
            throw new InvalidEntryException(Reason.REVOKED_DEVICE, entry,
                    entry + " is from revoked device " + entry.device());
        }
        if (!roster.isCurrentDevice(entry.device())) {
            throw new InvalidEntryException(Reason.NOT_A_DEVICE, entry,
                    entry + " is from " + entry.device() + ", which is not one of this user's devices");
        }
        if (!authentic) {
            throw new InvalidEntryException(Reason.BAD_SIGNATURE, entry,
                    entry + " does not carry its device's signature over its bytes");
        }
        if (entry.seq() <= head.seq()) {
            Optional<JournalEntry> held = store.get(entry.device(), entry.seq());
            if (held.isPresent() && held.get().equals(entry)) {
                return false;
            }
            throw new InvalidEntryException(Reason.FORK, entry,
                    entry + " differs from the entry already held with that sequence number");
        }
        if (entry.seq() != head.seq() + 1) {
            throw new InvalidEntryException(Reason.BROKEN_CHAIN, entry,
                    entry + " skips ahead; expected sequence number " + (head.seq() + 1));
        }
        if (!entry.follows(head.hash())) {
            throw new InvalidEntryException(Reason.BROKEN_CHAIN, entry,
                    entry + " does not name the hash of entry " + head.seq() + " as its previous");
        }
        return true;
    }
}
