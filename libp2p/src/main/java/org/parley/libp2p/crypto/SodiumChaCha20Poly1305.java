package org.parley.libp2p.crypto;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * {@link Aead} over libsodium's {@code crypto_aead_chacha20poly1305_ietf_*}, called through FFM so
 * that libsodium works on the caller's arrays in place.
 *
 * <p>Threading: instances hold no per-call state, but follow the {@link Aead} rule anyway (one
 * thread at a time) so that implementations stay interchangeable.
 */
public final class SodiumChaCha20Poly1305 implements Aead {

    private final byte[] key;
    private final MemorySegment keySegment;
    private boolean destroyed;

    /**
     * @throws IllegalStateException if libsodium cannot be called through FFM here (see {@link #isAvailable()})
     */
    public SodiumChaCha20Poly1305(byte[] key) {
        if (!isAvailable()) {
            throw new IllegalStateException("libsodium is not reachable through FFM: " + SodiumNative.UNAVAILABLE_REASON);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
        this.keySegment = MemorySegment.ofArray(this.key);
    }

    /** True if libsodium's AEAD can be called on this platform. */
    public static boolean isAvailable() {
        return SodiumNative.AEAD_CHACHA20POLY1305_IETF_ENCRYPT != null;
    }

    @Override
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable(nonce);
        int outLen = len + TAG_BYTES;
        int rc;
        try {
            rc = (int) SodiumNative.AEAD_CHACHA20POLY1305_IETF_ENCRYPT.invokeExact(
                    MemorySegment.ofArray(out).asSlice(outOff, outLen),
                    MemorySegment.NULL,
                    MemorySegment.ofArray(in).asSlice(inOff, len),
                    (long) len,
                    segment(ad),
                    ad == null ? 0L : ad.length,
                    MemorySegment.NULL,
                    MemorySegment.ofArray(nonce),
                    keySegment);
        } catch (Throwable t) {
            throw propagate(t);
        }
        if (rc != 0) {
            throw new IllegalStateException("libsodium ChaCha20-Poly1305 encryption failed with " + rc);
        }
        return outLen;
    }

    @Override
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        checkUsable(nonce);
        Aead.requireTag(len);
        int outLen = len - TAG_BYTES;
        int rc;
        try {
            rc = (int) SodiumNative.AEAD_CHACHA20POLY1305_IETF_DECRYPT.invokeExact(
                    MemorySegment.ofArray(out).asSlice(outOff, outLen),
                    MemorySegment.NULL,
                    MemorySegment.NULL,
                    MemorySegment.ofArray(in).asSlice(inOff, len),
                    (long) len,
                    segment(ad),
                    ad == null ? 0L : ad.length,
                    MemorySegment.ofArray(nonce),
                    keySegment);
        } catch (Throwable t) {
            throw propagate(t);
        }
        if (rc != 0) {
            throw new AEADBadTagException("ChaCha20-Poly1305 tag mismatch");
        }
        return outLen;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    private static MemorySegment segment(byte[] ad) {
        return ad == null || ad.length == 0 ? MemorySegment.NULL : MemorySegment.ofArray(ad);
    }

    private void checkUsable(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException("ChaCha20-Poly1305 key was destroyed");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("libsodium call failed", t);
    }

    @Override
    public String toString() {
        return "SodiumChaCha20Poly1305";
    }
}
