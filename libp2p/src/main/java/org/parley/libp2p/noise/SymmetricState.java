package org.parley.libp2p.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.libp2p.crypto.Aead;

/**
 * A Noise SymmetricState (noise spec §5.2) for SHA-256: the chaining key {@code ck}, the
 * handshake hash {@code h} and the CipherState they key. SHA-256 and HMAC-SHA256 come from the JDK.
 *
 * <p>Threading: not thread safe; used by one handshake.
 */
final class SymmetricState {

    static final int HASH_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] ONE = {0x01};
    private static final byte[] TWO = {0x02};

    private final MessageDigest sha256;
    private final Mac hmac;
    private final CipherState cipher;
    private final byte[] h;
    private byte[] ck;

    /**
     * InitializeSymmetric: a name of at most HASHLEN bytes is zero-padded, a longer one hashed.
     * {@code Noise_XX_25519_ChaChaPoly_SHA256} is exactly 32 bytes, so it is {@code h} verbatim.
     */
    SymmetricState(String protocolName, Aead.Factory aead) {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.hmac = Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256 or HmacSHA256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        this.h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : sha256.digest(name);
        this.ck = h.clone();
        this.cipher = new CipherState(aead);
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    void mixHash(byte[] data, int off, int len) {
        sha256.update(h);
        sha256.update(data, off, len);
        digestInto(h);
    }

    /** MixKey: {@code (ck, k) = HKDF(ck, ikm)}; the new key starts at nonce 0. */
    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ikm);
        Arrays.fill(ck, (byte) 0);
        ck = out[0];
        cipher.initializeKey(out[1]);
        Arrays.fill(out[1], (byte) 0);
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    /** EncryptAndHash: encrypts with {@code ad = h} when keyed, then hashes the ciphertext. */
    byte[] encryptAndHash(byte[] plaintext) {
        byte[] out = new byte[plaintext.length + cipher.overhead()];
        cipher.encryptWithAd(h, plaintext, 0, plaintext.length, out, 0);
        mixHash(out);
        return out;
    }

    /** DecryptAndHash: decrypts with {@code ad = h} when keyed, then hashes the ciphertext (not the plaintext). */
    byte[] decryptAndHash(byte[] in, int off, int len) throws AEADBadTagException {
        byte[] out = new byte[Math.max(0, len - cipher.overhead())];
        cipher.decryptWithAd(h, in, off, len, out, 0);
        mixHash(in, off, len);
        return out;
    }

    /** Bytes that {@link #encryptAndHash} adds in the current state (16 once keyed, else 0). */
    int overhead() {
        return cipher.overhead();
    }

    /** Split: {@code (k1, k2) = HKDF(ck, empty)}; wipes {@code ck}. */
    byte[][] split() {
        byte[][] keys = hkdf(new byte[0]);
        Arrays.fill(ck, (byte) 0);
        cipher.destroy();
        return keys;
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    /** The chaining key, for spec cross-checks in tests. */
    byte[] chainingKey() {
        return ck.clone();
    }

    /** HKDF with two outputs (noise §4.3): {@code t = HMAC(ck, ikm); o1 = HMAC(t, 01); o2 = HMAC(t, o1 ‖ 02)}. */
    private byte[][] hkdf(byte[] ikm) {
        byte[] temp = hmac(ck, ikm, null);
        byte[] out1 = hmac(temp, ONE, null);
        byte[] out2 = hmac(temp, out1, TWO);
        Arrays.fill(temp, (byte) 0);
        return new byte[][] {out1, out2};
    }

    private byte[] hmac(byte[] key, byte[] data, byte[] more) {
        try {
            hmac.init(new SecretKeySpec(key, HMAC));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 rejected a 32-byte key", e);
        }
        hmac.update(data);
        if (more != null) {
            hmac.update(more);
        }
        return hmac.doFinal();
    }

    private void digestInto(byte[] target) {
        try {
            sha256.digest(target, 0, HASH_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest did not fit 32 bytes", e);
        }
    }
}
