package org.parley.journal;

import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.core.PeerFaultException;

/**
 * A sibling sent an entry that fails a check: the exchange with that peer stops and the node
 * reports it. The message names the entry and the check.
 */
public final class InvalidEntryException extends PeerFaultException {

    /** Which check the entry failed. */
    public enum Reason {
        /** The signing device is not on the user's device list. */
        NOT_A_DEVICE,
        /** The signing device was revoked. */
        REVOKED_DEVICE,
        /** The signature is not the device's over the entry's bytes (tampered or forged). */
        BAD_SIGNATURE,
        /** The entry skips a sequence number or does not name the hash of the entry before it. */
        BROKEN_CHAIN,
        /** The device signed two different entries with one sequence number. */
        FORK
    }

    private final Reason reason;
    private final transient JournalEntry entry;

    public InvalidEntryException(Reason reason, JournalEntry entry, String message) {
        super(message);
        this.reason = reason;
        this.entry = entry;
    }

    public Reason reason() {
        return reason;
    }

    public JournalEntry entry() {
        return entry;
    }
}
