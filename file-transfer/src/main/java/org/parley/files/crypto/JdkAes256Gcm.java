package org.parley.files.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;
import org.parley.libp2p.crypto.Aead;

/**
 * AES-256-GCM over the JDK's cipher, for {@link ChunkCipher} where OpenSSL's libcrypto cannot be
 * called: a downloader must open the chunks of a file shared with AES-256-GCM whatever it has. Slow
 * at first (HotSpot's AES-GCM intrinsic takes over only once the cipher code is compiled, after some
 * hundreds of MB), fast after. Not thread safe.
 *
 * <p>The JDK refuses to encrypt twice in a row under the same key and nonce. A seeder does exactly
 * that, harmlessly, when it seals the same chunk twice (a re-request): the plaintext is the same, so
 * is the ciphertext, and nothing leaks. For that case alone a fresh {@link Cipher} is taken.
 */
final class JdkAes256Gcm implements Aead {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = TAG_BYTES * 8;

    private final SecretKeySpec key;
    private Cipher cipher;
    private byte[] lastSealNonce;
    private boolean destroyed;

    JdkAes256Gcm(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256-GCM key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.cipher = newCipher();
    }

    @Override
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable();
        try {
            if (Arrays.equals(nonce, lastSealNonce)) {
                cipher = newCipher();
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            lastSealNonce = nonce.clone();
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        checkUsable();
        if (len < TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than the " + TAG_BYTES + "-byte tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            // The contract: nothing unauthenticated left in out.
            Arrays.fill(out, outOff, Math.min(out.length, outOff + len - TAG_BYTES), (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // SecretKeySpec cannot wipe its array; dropping the reference is all the JDK allows.
        }
    }

    private void checkUsable() {
        if (destroyed) {
            throw new IllegalStateException("AES-256-GCM key was destroyed");
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + TRANSFORMATION, e);
        }
    }
}
