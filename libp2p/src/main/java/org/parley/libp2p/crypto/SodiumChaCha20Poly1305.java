package org.parley.libp2p.crypto;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * {@link Aead} over libsodium's {@code crypto_aead_chacha20poly1305_ietf_*} (through lazysodium),
 * kept so that benchmarks can compare it with {@link JdkChaCha20Poly1305}.
 *
 * <p>Threading: not thread safe. JNA passes whole arrays, so data at a non-zero offset goes through
 * scratch arrays that this instance grows once and then reuses.
 */
public final class SodiumChaCha20Poly1305 implements Aead {

    private static final byte[] NO_AD = new byte[0];

    private final byte[] key;
    private final long[] lengthOut = new long[1];
    private byte[] scratchIn = new byte[0];
    private byte[] scratchOut = new byte[0];
    private boolean destroyed;

    public SodiumChaCha20Poly1305(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    @Override
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable(nonce);
        byte[] aad = ad == null ? NO_AD : ad;
        int outLen = len + TAG_BYTES;
        byte[] src = direct(in, inOff, len) ? in : stageInput(in, inOff, len);
        boolean outDirect = outOff == 0 && out.length >= outLen;
        byte[] dst = outDirect ? out : scratchOutput(outLen);
        int rc = sodium().crypto_aead_chacha20poly1305_ietf_encrypt(
                dst, lengthOut, src, len, aad, aad.length, null, nonce, key);
        if (rc != 0) {
            throw new IllegalStateException("libsodium ChaCha20-Poly1305 encryption failed with " + rc);
        }
        if (!outDirect) {
            System.arraycopy(dst, 0, out, outOff, outLen);
        }
        return outLen;
    }

    @Override
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        checkUsable(nonce);
        if (len < TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than the " + TAG_BYTES + "-byte tag");
        }
        byte[] aad = ad == null ? NO_AD : ad;
        int outLen = len - TAG_BYTES;
        byte[] src = direct(in, inOff, len) ? in : stageInput(in, inOff, len);
        boolean outDirect = outOff == 0 && out.length >= outLen;
        byte[] dst = outDirect ? out : scratchOutput(outLen);
        int rc = sodium().crypto_aead_chacha20poly1305_ietf_decrypt(
                dst, lengthOut, null, src, len, aad, aad.length, nonce, key);
        if (rc != 0) {
            throw new AEADBadTagException("ChaCha20-Poly1305 tag mismatch");
        }
        if (!outDirect) {
            System.arraycopy(dst, 0, out, outOff, outLen);
        }
        return outLen;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    private static boolean direct(byte[] in, int inOff, int len) {
        return inOff == 0 && in.length >= len;
    }

    private byte[] stageInput(byte[] in, int inOff, int len) {
        if (scratchIn.length < len) {
            scratchIn = new byte[len];
        }
        System.arraycopy(in, inOff, scratchIn, 0, len);
        return scratchIn;
    }

    private byte[] scratchOutput(int len) {
        if (scratchOut.length < len) {
            scratchOut = new byte[len];
        }
        return scratchOut;
    }

    private void checkUsable(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException("ChaCha20-Poly1305 key was destroyed");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
    }

    private static com.goterl.lazysodium.Sodium sodium() {
        return Sodium.get().getSodium();
    }

    @Override
    public String toString() {
        return "SodiumChaCha20Poly1305";
    }
}
