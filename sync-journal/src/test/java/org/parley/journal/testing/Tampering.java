package org.parley.journal.testing;

import org.parley.journal.entry.EntryCodec;
import org.parley.journal.entry.EntryFormatException;
import org.parley.journal.entry.JournalEntry;

/** Well-formed entries that are not what their device signed, for the tests of the checks. */
public final class Tampering {

    private Tampering() {}

    /** {@code entry} with one bit of its sealed payload flipped. */
    public static JournalEntry tampered(JournalEntry entry) throws EntryFormatException {
        byte[] bytes = entry.encoded();
        bytes[bytes.length - 70] ^= 0x20; // inside the sealed payload, before the 64-byte signature
        return EntryCodec.decode(bytes);
    }

    /** {@code entry} with one bit of its signature flipped. */
    public static JournalEntry withBrokenSignature(JournalEntry entry) throws EntryFormatException {
        byte[] bytes = entry.encoded();
        bytes[bytes.length - 1] ^= 0x01; // the signature is last
        return EntryCodec.decode(bytes);
    }
}
