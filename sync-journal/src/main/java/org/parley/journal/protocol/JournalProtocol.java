package org.parley.journal.protocol;

/** The protocol id of journal reconciliation between one user's devices. */
public final class JournalProtocol {

    public static final String PROTOCOL_ID = "/parley/journal/1.0.0";

    private JournalProtocol() {}
}
