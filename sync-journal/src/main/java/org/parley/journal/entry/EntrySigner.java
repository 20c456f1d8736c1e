package org.parley.journal.entry;

import java.nio.ByteBuffer;
import org.parley.libp2p.crypto.KeyType;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;

/**
 * Makes this device's entries: seals the payload with the current history key and signs the
 * canonical bytes with the device key. Knows nothing of sequence numbers or storage
 * ({@code Journal} does). Thread safe.
 */
public final class EntrySigner {

    private final PrivateKey deviceKey;
    private final PeerId device;

    public EntrySigner(PrivateKey deviceKey) {
        if (deviceKey.type() != KeyType.ED25519) {
            throw new IllegalArgumentException("journal entries are signed with Ed25519 device keys, not "
                    + deviceKey.type());
        }
        this.deviceKey = deviceKey;
        this.device = PeerId.fromPublicKey(deviceKey.publicKey());
    }

    public PeerId device() {
        return device;
    }

    /** A signed entry with these fields and {@code payload} sealed under {@code key}. */
    public JournalEntry sign(long seq, HlcTimestamp hlc, byte[] previousHash, String kind, HistoryKey key,
            byte[] payload) {
        if (previousHash.length != JournalEntry.HASH_BYTES) {
            throw new IllegalArgumentException("previous hash of " + previousHash.length + " bytes");
        }
        byte[] header = EntryCodec.header(device, seq, hlc, previousHash, kind, key.id());
        byte[] nonce = PayloadCipher.newNonce();
        byte[] sealed = PayloadCipher.seal(key, nonce, header, payload);
        byte[] signed = EntryCodec.signedPart(header, nonce, sealed);
        byte[] signature = deviceKey.sign(withContext(signed));
        try {
            return EntryCodec.assemble(signed, signature);
        } catch (EntryFormatException e) {
            throw new IllegalStateException("an entry made here does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Device keys by PeerId: a sync checks thousands of entries of the same few devices, and
     * reading the key out of the PeerId each time costs as much as a small part of the check.
     * Bounded by {@link #MAX_CACHED_KEYS}.
     */
    private static final java.util.Map<PeerId, PublicKey> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A user has a handful of devices; 1,024 keys is far beyond and costs under 100 KiB. */
    static final int MAX_CACHED_KEYS = 1024;

    /** True if {@code entry}'s signature is its device's over its bytes. */
    public static boolean signatureValid(JournalEntry entry) {
        PublicKey key = KEYS.get(entry.device());
        if (key == null) {
            key = entry.device().inlinedPublicKey();
            if (key != null && KEYS.size() < MAX_CACHED_KEYS) {
                KEYS.put(entry.device(), key);
            }
        }
        if (key == null || key.type() != KeyType.ED25519) {
            return false;
        }
        return key.verify(withContext(entry.signedBytes()), entry.signature());
    }

    private static byte[] withContext(byte[] signed) {
        return ByteBuffer.allocate(EntryCodec.SIGNATURE_CONTEXT.length + signed.length)
                .put(EntryCodec.SIGNATURE_CONTEXT).put(signed).array();
    }
}
