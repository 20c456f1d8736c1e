package org.parley.journal.entry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.peer.PeerId;

/**
 * The canonical encoding of a {@link JournalEntry}. Every field has one encoding, so an entry
 * decodes and re-encodes to the same bytes, and its hash and signature are over those bytes.
 * Big-endian throughout:
 *
 * <pre>
 *  1 byte   format version, 1
 *  1 byte   length d of the device's PeerId (1..{@value #MAX_PEER_ID_BYTES})
 *  d bytes  device PeerId (multihash bytes)
 *  8 bytes  sequence number, 1 or more
 *  6 bytes  HLC physical milliseconds (48 bits)
 *  2 bytes  HLC counter
 * 32 bytes  SHA-256 of the device's previous entry, zeros for sequence number 1
 *  1 byte   length k of the kind (1..{@value #MAX_KIND_BYTES})
 *  k bytes  kind: ASCII letters, digits, '.', '-', '_'
 *  4 bytes  history key id
 * 12 bytes  ChaCha20-Poly1305 nonce
 *  4 bytes  length p of the sealed payload (16..{@value #MAX_SEALED_PAYLOAD_BYTES})
 *  p bytes  sealed payload: ciphertext then 16-byte tag; the associated data is every byte
 *           from the version to the key id
 * 64 bytes  Ed25519 signature by the device key over {@code "parley-journal-entry:"} followed
 *           by every byte above
 * </pre>
 *
 * Stateless, thread safe.
 */
public final class EntryCodec {

    public static final int VERSION = 1;

    /** An Ed25519 PeerId (identity multihash of the key protobuf) is 38 bytes; a SHA-256 one 34. */
    public static final int MAX_PEER_ID_BYTES = 64;

    /** Kinds are short names like {@code chat.sent}; 64 bytes leaves room for namespacing. */
    public static final int MAX_KIND_BYTES = 64;

    /**
     * The largest plaintext payload: a chat message is at most a few kilobytes of text plus
     * metadata, and files travel by link, never inside the journal; 64 KiB bounds what one entry
     * may make a receiver hold.
     */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static final int MAX_SEALED_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES + Aead.TAG_BYTES;

    public static final int SIGNATURE_BYTES = 64;

    private static final int FIXED_BYTES = 1 + 1 + 8 + 8 + JournalEntry.HASH_BYTES + 1 + 4 + Aead.NONCE_BYTES + 4
            + SIGNATURE_BYTES;

    /** The largest encoded entry; the protocol's per-entry limit. */
    public static final int MAX_ENTRY_BYTES = FIXED_BYTES + MAX_PEER_ID_BYTES + MAX_KIND_BYTES
            + MAX_SEALED_PAYLOAD_BYTES;

    /** The smallest encoded entry: a one-byte id and kind and an empty sealed payload. */
    public static final int MIN_ENTRY_BYTES = FIXED_BYTES + 1 + 1 + Aead.TAG_BYTES;

    static final byte[] SIGNATURE_CONTEXT = "parley-journal-entry:".getBytes(StandardCharsets.US_ASCII);

    private EntryCodec() {}

    /** The bytes from the version through the key id: the payload's associated data. */
    static byte[] header(PeerId device, long seq, HlcTimestamp hlc, byte[] previousHash, String kind, int keyId) {
        checkKind(kind);
        byte[] id = device.bytes();
        if (id.length > MAX_PEER_ID_BYTES) {
            throw new IllegalArgumentException("device id of " + id.length + " bytes exceeds " + MAX_PEER_ID_BYTES);
        }
        if (seq < 1) {
            throw new IllegalArgumentException("sequence number " + seq + " is below 1");
        }
        byte[] kindBytes = kind.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + id.length + 8 + 8 + JournalEntry.HASH_BYTES + 1 + kindBytes.length + 4);
        b.put((byte) VERSION).put((byte) id.length).put(id).putLong(seq);
        putHlc(b, hlc);
        b.put(previousHash).put((byte) kindBytes.length).put(kindBytes).putInt(keyId);
        return b.array();
    }

    /** Header, nonce and sealed payload: the bytes the signature covers, without the context prefix. */
    static byte[] signedPart(byte[] header, byte[] nonce, byte[] sealed) {
        return ByteBuffer.allocate(header.length + nonce.length + 4 + sealed.length)
                .put(header).put(nonce).putInt(sealed.length).put(sealed).array();
    }

    /** The full entry, from its signed part and signature. */
    static JournalEntry assemble(byte[] signedPart, byte[] signature) throws EntryFormatException {
        byte[] all = ByteBuffer.allocate(signedPart.length + signature.length).put(signedPart).put(signature).array();
        return decode(all);
    }

    /**
     * Reads one entry's canonical bytes. Checks the layout and every length before allocating;
     * not the signature or the chain ({@link EntryVerifier} does that).
     *
     * @throws EntryFormatException if the bytes are not exactly one well-formed entry
     */
    public static JournalEntry decode(byte[] bytes) throws EntryFormatException {
        if (bytes.length < MIN_ENTRY_BYTES || bytes.length > MAX_ENTRY_BYTES) {
            throw new EntryFormatException("journal entry of " + bytes.length + " bytes is outside "
                    + MIN_ENTRY_BYTES + ".." + MAX_ENTRY_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = b.get() & 0xFF;
        if (version != VERSION) {
            throw new EntryFormatException("journal entry format version " + version + "; expected " + VERSION);
        }
        int idLength = b.get() & 0xFF;
        if (idLength == 0 || idLength > MAX_PEER_ID_BYTES) {
            throw new EntryFormatException("device id length " + idLength + " is outside 1.." + MAX_PEER_ID_BYTES);
        }
        need(b, idLength + 8 + 8 + JournalEntry.HASH_BYTES + 1, "device id, sequence number, HLC and previous hash");
        byte[] id = new byte[idLength];
        b.get(id);
        PeerId device;
        try {
            device = PeerId.fromBytes(id);
        } catch (PeerFaultException e) {
            throw new EntryFormatException("invalid device id: " + e.getMessage());
        }
        long seq = b.getLong();
        if (seq < 1) {
            throw new EntryFormatException("sequence number " + Long.toUnsignedString(seq) + " is below 1");
        }
        long physical = ((long) (b.getShort() & 0xFFFF) << 32) | (b.getInt() & 0xFFFFFFFFL);
        int counter = b.getShort() & 0xFFFF;
        HlcTimestamp hlc = new HlcTimestamp(physical, counter);
        byte[] previous = new byte[JournalEntry.HASH_BYTES];
        b.get(previous);
        if (seq == 1 && !java.util.Arrays.equals(previous, JournalEntry.NO_PREVIOUS)) {
            throw new EntryFormatException("entry 1 names a previous entry; its previous hash must be zeros");
        }
        int kindLength = b.get() & 0xFF;
        if (kindLength == 0 || kindLength > MAX_KIND_BYTES) {
            throw new EntryFormatException("kind length " + kindLength + " is outside 1.." + MAX_KIND_BYTES);
        }
        need(b, kindLength + 4 + Aead.NONCE_BYTES + 4, "kind, key id, nonce and payload length");
        byte[] kindBytes = new byte[kindLength];
        b.get(kindBytes);
        String kind = new String(kindBytes, StandardCharsets.US_ASCII);
        if (!validKind(kind)) {
            throw new EntryFormatException("kind has a byte other than ASCII letters, digits, '.', '-' or '_'");
        }
        int keyId = b.getInt();
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        b.get(nonce);
        int sealedLength = b.getInt();
        if (sealedLength < Aead.TAG_BYTES || sealedLength > MAX_SEALED_PAYLOAD_BYTES) {
            throw new EntryFormatException("sealed payload length " + Integer.toUnsignedString(sealedLength)
                    + " is outside " + Aead.TAG_BYTES + ".." + MAX_SEALED_PAYLOAD_BYTES);
        }
        if (b.remaining() != sealedLength + SIGNATURE_BYTES) {
            throw new EntryFormatException("entry has " + b.remaining() + " bytes after the payload length; expected "
                    + (sealedLength + SIGNATURE_BYTES) + " (payload and signature)");
        }
        byte[] sealed = new byte[sealedLength];
        b.get(sealed);
        int signedLength = b.position();
        byte[] signature = new byte[SIGNATURE_BYTES];
        b.get(signature);
        return new JournalEntry(device, seq, hlc, previous, kind, keyId, nonce, sealed, signature, bytes.clone(),
                signedLength);
    }

    static void checkKind(String kind) {
        if (kind.isEmpty() || kind.length() > MAX_KIND_BYTES || !validKind(kind)) {
            throw new IllegalArgumentException("kind must be 1.." + MAX_KIND_BYTES
                    + " ASCII letters, digits, '.', '-' or '_', not \"" + kind + "\"");
        }
    }

    private static boolean validKind(String kind) {
        for (int i = 0; i < kind.length(); i++) {
            char c = kind.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void putHlc(ByteBuffer b, HlcTimestamp hlc) {
        b.putShort((short) (hlc.physicalMillis() >>> 32)).putInt((int) hlc.physicalMillis()).putShort((short) hlc.counter());
    }

    private static void need(ByteBuffer b, int bytes, String what) throws EntryFormatException {
        if (b.remaining() < bytes) {
            throw new EntryFormatException("entry ends inside the " + what + ": " + b.remaining() + " of " + bytes
                    + " bytes");
        }
    }
}
