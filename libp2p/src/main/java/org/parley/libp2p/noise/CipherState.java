package org.parley.libp2p.noise;

import javax.crypto.AEADBadTagException;
import org.parley.libp2p.crypto.Aead;

/**
 * A Noise CipherState (noise spec §5.1): an optional key and the 64-bit message counter that
 * forms the nonce {@code 00000000 ‖ LE64(n)}.
 *
 * <p>Threading: not thread safe; after Split each direction owns one instance.
 */
final class CipherState {

    /** Noise §5.1 reserves the all-ones nonce; reaching it means 2^64 - 1 messages, never in practice. */
    private static final long RESERVED_NONCE = -1L;
    /** Where LE64(n) starts inside the 12-byte nonce. */
    private static final int COUNTER_OFFSET = 4;

    private final Aead.Factory factory;
    private final byte[] nonce = new byte[Aead.NONCE_BYTES];
    private Aead aead;
    private long n;

    CipherState(Aead.Factory factory) {
        this.factory = factory;
    }

    /** InitializeKey: installs {@code key} (copied by the AEAD) and resets the counter. */
    void initializeKey(byte[] key) {
        if (aead != null) {
            aead.destroy();
        }
        aead = factory.create(key);
        n = 0;
    }

    boolean hasKey() {
        return aead != null;
    }

    /** The counter of the next message; package-private for tests. */
    long nonce() {
        return n;
    }

    /**
     * EncryptWithAd into {@code out}; without a key, copies the plaintext. Returns bytes written.
     */
    int encryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (aead == null) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        int written = aead.seal(nextNonce(), ad, in, inOff, len, out, outOff);
        n++;
        return written;
    }

    /**
     * DecryptWithAd into {@code out}; without a key, copies the ciphertext. The counter advances
     * only when the tag is good.
     */
    int decryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        if (aead == null) {
            System.arraycopy(in, inOff, out, outOff, len);
            return len;
        }
        int written = aead.open(nextNonce(), ad, in, inOff, len, out, outOff);
        n++;
        return written;
    }

    /** Bytes {@link #encryptWithAd} adds to a plaintext of any length. */
    int overhead() {
        return aead == null ? 0 : Aead.TAG_BYTES;
    }

    /** Wipes the key; the state is unusable afterwards. */
    void destroy() {
        if (aead != null) {
            aead.destroy();
        }
    }

    private byte[] nextNonce() {
        if (n == RESERVED_NONCE) {
            throw new IllegalStateException("Noise nonce space exhausted; the connection must be closed");
        }
        long v = n;
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[COUNTER_OFFSET + i] = (byte) v;
            v >>>= 8;
        }
        return nonce;
    }
}
