package org.parley.libp2p.crypto;

import javax.crypto.AEADBadTagException;

/**
 * ChaCha20-Poly1305 (IETF: 12-byte nonce, 16-byte tag) bound to one key, encrypting between
 * caller-owned buffers so that bulk paths allocate nothing per message.
 *
 * <p>Threading: an instance keeps cipher state between calls and is not thread safe; give each
 * direction of a connection its own instance.
 */
public interface Aead {

    int KEY_BYTES = 32;
    int NONCE_BYTES = 12;
    int TAG_BYTES = 16;

    /** Refuses a ciphertext too short to hold a tag, before an implementation touches it. */
    static void requireTag(int ciphertextBytes) throws AEADBadTagException {
        if (ciphertextBytes < TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + ciphertextBytes + " bytes is shorter than the "
                    + TAG_BYTES + "-byte tag");
        }
    }

    /** Makes an {@link Aead} for one key; the factory copies the key, the caller may wipe its array. */
    @FunctionalInterface
    interface Factory {
        Aead create(byte[] key);
    }

    /**
     * The implementation every protocol uses, chosen per machine by {@link AeadChoice}: OpenSSL's
     * libcrypto where it can be called (the fastest from 1 KiB on, with or without AVX-512,
     * {@code scripts/bench micro-crypto}), else the JDK where HotSpot intrinsifies Poly1305, else
     * libsodium.
     */
    Factory CHACHA20_POLY1305 = AeadChoice.fastest();

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out[outOff, outOff+len+16)} (ciphertext then
     * tag). In place ({@code in == out}, {@code inOff == outOff}) is allowed, as Noise encrypts its
     * frame buffer; any other overlap is not.
     *
     * @param nonce 12 bytes, never reused with this key
     * @param ad associated data, or null for none
     * @return the number of bytes written, {@code len + TAG_BYTES}
     */
    int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Checks the tag and decrypts {@code in[inOff, inOff+len)} (ciphertext then tag) into
     * {@code out[outOff, outOff+len-16)}. Nothing is written to {@code out} if the tag is wrong.
     * In place ({@code in == out}, {@code inOff == outOff}) is allowed, as Noise decrypts its frame
     * buffer; any other overlap is not.
     *
     * @return the number of plaintext bytes, {@code len - TAG_BYTES}
     * @throws AEADBadTagException if the tag does not match (wrong key, nonce, ad or tampered bytes)
     */
    int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException;

    /** Overwrites this instance's copy of the key; later calls fail. */
    void destroy();
}
