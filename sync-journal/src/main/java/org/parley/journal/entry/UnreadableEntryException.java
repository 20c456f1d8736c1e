package org.parley.journal.entry;

/** A stored entry whose payload this device cannot open: its history key is missing or wrong. */
public final class UnreadableEntryException extends Exception {

    public UnreadableEntryException(String message) {
        super(message);
    }
}
