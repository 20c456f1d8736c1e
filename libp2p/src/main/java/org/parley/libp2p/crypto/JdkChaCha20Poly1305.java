package org.parley.libp2p.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

/**
 * {@link Aead} over the JDK's {@code ChaCha20-Poly1305} cipher (SunJCE, with CPU intrinsics).
 *
 * <p>Threading: not thread safe; one {@link Cipher} is reused for every message. The JDK refuses to
 * encrypt twice with the same key and nonce, which callers with a message counter never do.
 */
public final class JdkChaCha20Poly1305 implements Aead {

    private static final String TRANSFORMATION = "ChaCha20-Poly1305";
    private static final String KEY_ALGORITHM = "ChaCha20";

    private final SecretKeySpec key;
    private final Cipher cipher;
    private boolean destroyed;

    public JdkChaCha20Poly1305(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, KEY_ALGORITHM);
        try {
            this.cipher = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + TRANSFORMATION, e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        checkUsable();
        if (len < TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than the " + TAG_BYTES + "-byte tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 decryption failed: " + e.getMessage(), e);
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
            throw new IllegalStateException("ChaCha20-Poly1305 key was destroyed");
        }
    }

    @Override
    public String toString() {
        return "JdkChaCha20Poly1305";
    }
}
