package org.parley.journal.entry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import org.parley.libp2p.peer.PeerId;

/**
 * One signed entry of one device's journal chain: who wrote it (device and sequence number), when
 * (HLC), what came before it on that device (hash of the previous entry), what it is (kind, opaque
 * here), the payload sealed with the user's history key, and the device's signature. Made by
 * {@link EntrySigner} or read by {@link EntryCodec}; its canonical bytes are kept, so the hash and
 * the signature are over exactly what travels. Immutable; equal when the bytes are equal.
 */
public final class JournalEntry {

    /** SHA-256, the chain link's length. */
    public static final int HASH_BYTES = 32;

    /** The previous-entry hash of a chain's first entry. */
    public static final byte[] NO_PREVIOUS = new byte[HASH_BYTES];

    /** Display order, the same on every device: HLC, then device, then sequence number. */
    public static final Comparator<JournalEntry> DISPLAY_ORDER = Comparator.comparing(JournalEntry::hlc)
            .thenComparing(JournalEntry::device)
            .thenComparingLong(JournalEntry::seq);

    private final PeerId device;
    private final long seq;
    private final HlcTimestamp hlc;
    private final byte[] previousHash;
    private final String kind;
    private final int keyId;
    private final byte[] nonce;
    private final byte[] sealedPayload;
    private final byte[] signature;
    private final byte[] encoded;
    private final int signedLength;
    private volatile byte[] hash;

    JournalEntry(PeerId device, long seq, HlcTimestamp hlc, byte[] previousHash, String kind, int keyId,
            byte[] nonce, byte[] sealedPayload, byte[] signature, byte[] encoded, int signedLength) {
        this.device = device;
        this.seq = seq;
        this.hlc = hlc;
        this.previousHash = previousHash;
        this.kind = kind;
        this.keyId = keyId;
        this.nonce = nonce;
        this.sealedPayload = sealedPayload;
        this.signature = signature;
        this.encoded = encoded;
        this.signedLength = signedLength;
    }

    public PeerId device() {
        return device;
    }

    /** 1 for a device's first entry, then one more for each. */
    public long seq() {
        return seq;
    }

    public HlcTimestamp hlc() {
        return hlc;
    }

    public byte[] previousHash() {
        return previousHash.clone();
    }

    /** What the entry is to the application (for example {@code chat.sent}); opaque to the journal. */
    public String kind() {
        return kind;
    }

    /** The id of the history key the payload is sealed with. */
    public int keyId() {
        return keyId;
    }

    byte[] nonce() {
        return nonce;
    }

    byte[] sealedPayload() {
        return sealedPayload;
    }

    /** The length of the sealed payload (ciphertext and tag). */
    public int sealedPayloadLength() {
        return sealedPayload.length;
    }

    byte[] signature() {
        return signature;
    }

    /** The canonical bytes, as stored and sent. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The number of canonical bytes. */
    public int encodedLength() {
        return encoded.length;
    }

    /** The bytes the signature covers: everything before it. */
    byte[] signedBytes() {
        return Arrays.copyOf(encoded, signedLength);
    }

    /** SHA-256 of the canonical bytes: what the device's next entry names as its previous. */
    public byte[] hash() {
        return digest().clone();
    }

    /** Computed on first use: entries read only to be sent on never need it. */
    private byte[] digest() {
        byte[] h = hash;
        if (h == null) {
            h = sha256(encoded);
            hash = h;
        }
        return h;
    }

    /** True if this entry's previous-entry hash is {@code hash}. */
    public boolean follows(byte[] hash) {
        return MessageDigest.isEqual(previousHash, hash);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry other && Arrays.equals(other.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest());
    }

    @Override
    public String toString() {
        return "JournalEntry[" + device + " #" + seq + " " + kind + " at " + hlc + "]";
    }
}
