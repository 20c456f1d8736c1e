package org.parley.libp2p.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

/**
 * {@link Aead} over one of the JDK's AEAD ciphers: {@link JdkChaCha20Poly1305} here, and the files
 * module's AES-256-GCM where OpenSSL cannot be called. A subclass names the cipher and gives the
 * parameters of one message. Not thread safe: one {@link Cipher} is reused for every message.
 */
public abstract class JdkAead implements Aead {

    private final String name;
    private final String transformation;
    private final SecretKeySpec key;
    private Cipher cipher;
    private boolean destroyed;

    /**
     * @param name the cipher's name in messages, such as {@code ChaCha20-Poly1305}
     * @param transformation the JDK's name of the cipher
     * @param keyAlgorithm the JDK's name of its key's algorithm
     */
    protected JdkAead(String name, String transformation, String keyAlgorithm, byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(name + " key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.name = name;
        this.transformation = transformation;
        this.key = new SecretKeySpec(key, keyAlgorithm);
        this.cipher = newCipher();
    }

    /** The cipher's parameters for one message under {@code nonce}. */
    protected abstract AlgorithmParameterSpec parameters(byte[] nonce);

    /**
     * Whether this seal must take a fresh {@link Cipher}: the JDK refuses to encrypt twice in a row
     * under the same key and nonce, which a subclass whose callers may do so harmlessly answers here.
     * None by default.
     */
    protected boolean needsFreshCipher(byte[] nonce) {
        return false;
    }

    @Override
    public final int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable();
        try {
            if (needsFreshCipher(nonce)) {
                cipher = newCipher();
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, parameters(nonce));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        checkUsable();
        Aead.requireTag(len);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(nonce));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            // The contract: nothing unauthenticated left in out.
            Arrays.fill(out, outOff, Math.min(out.length, outOff + len - TAG_BYTES), (byte) 0);
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " decryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final void destroy() {
        destroyed = true;
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // SecretKeySpec cannot wipe its array; dropping the reference is all the JDK allows.
        }
    }

    private void checkUsable() {
        if (destroyed) {
            throw new IllegalStateException(name + " key was destroyed");
        }
    }

    private Cipher newCipher() {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks " + transformation, e);
        }
    }
}
