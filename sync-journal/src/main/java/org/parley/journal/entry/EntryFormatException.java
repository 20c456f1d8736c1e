package org.parley.journal.entry;

import org.parley.libp2p.core.PeerFaultException;

/** Bytes that are not a well-formed journal entry; the message says which field and why. */
public final class EntryFormatException extends PeerFaultException {

    public EntryFormatException(String message) {
        super(message);
    }
}
