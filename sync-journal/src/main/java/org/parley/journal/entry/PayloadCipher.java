package org.parley.journal.entry;

import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.crypto.Aead;

/**
 * Seals and opens entry payloads with a history key (ChaCha20-Poly1305, a random 96-bit nonce per
 * entry, the entry header as associated data). A random nonce rather than one derived from
 * (device, sequence number) because a device restored from an old backup would reuse sequence
 * numbers; at 2^32 entries per key the collision chance is still below 2^-32. Stateless, thread
 * safe.
 */
public final class PayloadCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PayloadCipher() {}

    static byte[] newNonce() {
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    static byte[] seal(HistoryKey key, byte[] nonce, byte[] header, byte[] payload) {
        if (payload.length > EntryCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("journal payload of " + payload.length + " bytes exceeds "
                    + EntryCodec.MAX_PAYLOAD_BYTES);
        }
        byte[] keyBytes = key.keyBytes();
        Aead aead = Aead.CHACHA20_POLY1305.create(keyBytes);
        java.util.Arrays.fill(keyBytes, (byte) 0);
        try {
            byte[] out = new byte[payload.length + Aead.TAG_BYTES];
            aead.seal(nonce, header, payload, 0, payload.length, out, 0);
            return out;
        } finally {
            aead.destroy();
        }
    }

    /**
     * The plaintext payload of {@code entry}.
     *
     * @throws UnreadableEntryException if this device lacks the entry's history key, or the
     *     payload does not open with it
     */
    public static byte[] open(JournalEntry entry, HistoryKeys keys) throws UnreadableEntryException {
        HistoryKey key = keys.byId(entry.keyId()).orElseThrow(() -> new UnreadableEntryException(
                entry + " is sealed with history key " + entry.keyId() + ", which this device does not have"));
        byte[] keyBytes = key.keyBytes();
        Aead aead = Aead.CHACHA20_POLY1305.create(keyBytes);
        java.util.Arrays.fill(keyBytes, (byte) 0);
        try {
            byte[] sealed = entry.sealedPayload();
            byte[] out = new byte[sealed.length - Aead.TAG_BYTES];
            byte[] header = EntryCodec.header(entry.device(), entry.seq(), entry.hlc(), entry.previousHash(),
                    entry.kind(), entry.keyId());
            aead.open(entry.nonce(), header, sealed, 0, sealed.length, out, 0);
            return out;
        } catch (AEADBadTagException e) {
            throw new UnreadableEntryException(entry + " does not open with history key " + entry.keyId());
        } finally {
            aead.destroy();
        }
    }
}
