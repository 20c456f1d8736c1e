package org.parley.journal;

import java.nio.ByteBuffer;
import org.parley.journal.entry.EntryCodec;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * Names one entry of the journal, the same on every device: its device and sequence number. Edit
 * and delete entries carry one to say what they change. Immutable.
 */
public record EntryRef(PeerId device, long seq) {

    public EntryRef {
        if (seq < 1) {
            throw new IllegalArgumentException("sequence number " + seq + " is below 1");
        }
    }

    public static EntryRef of(JournalEntry entry) {
        return new EntryRef(entry.device(), entry.seq());
    }

    /** {@code u8 id length ‖ PeerId bytes ‖ u64 sequence number}. */
    byte[] encode() {
        byte[] id = device.bytes();
        return ByteBuffer.allocate(1 + id.length + 8).put((byte) id.length).put(id).putLong(seq).array();
    }

    /** Reads a reference from the start of {@code payload}; {@code b} is left after it. */
    static EntryRef decode(ByteBuffer b) throws PeerFaultException {
        if (!b.hasRemaining()) {
            throw new PeerFaultException("entry reference is empty");
        }
        int length = b.get() & 0xFF;
        if (length == 0 || length > EntryCodec.MAX_PEER_ID_BYTES || b.remaining() < length + 8) {
            throw new PeerFaultException("entry reference with a device id of " + length + " bytes and "
                    + b.remaining() + " bytes left is malformed");
        }
        byte[] id = new byte[length];
        b.get(id);
        long seq = b.getLong();
        if (seq < 1) {
            throw new PeerFaultException("entry reference names sequence number " + seq);
        }
        return new EntryRef(PeerId.fromBytes(id), seq);
    }
}
