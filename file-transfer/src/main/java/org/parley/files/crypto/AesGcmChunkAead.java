package org.parley.files.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

/**
 * AES-256-GCM over the JDK's cipher (AES-NI and carry-less multiply intrinsics) for {@link ChunkCipher},
 * between caller-owned arrays. Not thread safe.
 *
 * <p>The JDK refuses to encrypt twice in a row under the same key and nonce. A seeder does exactly
 * that, harmlessly, when it seals the same chunk twice (a re-request): the plaintext is the same, so
 * is the ciphertext, and nothing leaks. For that case alone a fresh {@link Cipher} is taken.
 */
final class AesGcmChunkAead {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = ChunkCipher.TAG_BYTES * 8;

    private final SecretKeySpec key;
    private Cipher cipher;
    private byte[] lastSealNonce;

    AesGcmChunkAead(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.cipher = newCipher();
    }

    int seal(byte[] nonce, byte[] in, int len, byte[] out) {
        try {
            if (Arrays.equals(nonce, lastSealNonce)) {
                cipher = newCipher();
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            lastSealNonce = nonce.clone();
            return cipher.doFinal(in, 0, len, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /** Nothing is left in {@code out} if the tag is wrong. */
    int open(byte[] nonce, byte[] in, int len, byte[] out) throws AEADBadTagException {
        if (len < ChunkCipher.TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than the " + ChunkCipher.TAG_BYTES + "-byte tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            return cipher.doFinal(in, 0, len, out, 0);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, 0, Math.min(out.length, len - ChunkCipher.TAG_BYTES), (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    void destroy() {
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // SecretKeySpec cannot wipe its array; dropping the reference is all the JDK allows.
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
