package org.parley.libp2p.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * {@link Aead} over an AEAD of OpenSSL 3's libcrypto (EVP) called through FFM on the caller's arrays:
 * {@link OpenSslChaCha20Poly1305} for Noise (on CPUs without AVX-512 its AVX2 code seals about twice
 * as fast as libsodium and five times as fast as the JDK, scripts/bench stream, section 1) and
 * {@link OpenSslAes256Gcm} for file chunks (AES-NI and carry-less multiply; unlike the JDK's
 * AES-GCM, at full speed from the first call, where HotSpot needs some hundreds of MB before its
 * intrinsic takes over). Both take 12-byte nonces and give 16-byte tags.
 *
 * <p>Threading: one thread at a time per instance, as for every {@link Aead}; calls and
 * {@link #destroy()} are additionally serialized, so a channel closed from another thread can never
 * free the native contexts under a running call. Each instance owns two EVP contexts (one per
 * direction of use) that {@link #destroy()} frees, or a {@link Cleaner} if it never is.
 */
@SuppressWarnings("restricted")
public abstract sealed class OpenSslAead implements Aead permits OpenSslChaCha20Poly1305, OpenSslAes256Gcm {

    /** The EVP ciphers bound here, by the libcrypto function that returns each. */
    enum EvpCipher {
        CHACHA20_POLY1305("ChaCha20-Poly1305"),
        AES_256_GCM("AES-256-GCM");

        final String displayName;

        EvpCipher(String displayName) {
            this.displayName = displayName;
        }
    }

    /** {@code EVP_CTRL_AEAD_GET_TAG} and {@code EVP_CTRL_AEAD_SET_TAG} from openssl/evp.h (the GCM ones have the same values). */
    private static final int CTRL_AEAD_GET_TAG = 0x10;
    private static final int CTRL_AEAD_SET_TAG = 0x11;
    /** The soname of OpenSSL 3's libcrypto (Debian package libssl3). */
    private static final String LIBRARY = "libcrypto.so.3";

    private static final Cleaner CLEANER = Cleaner.create();
    private static final Native NATIVE = Native.bind();

    private final EvpCipher evpCipher;
    private final MemorySegment encryptCtx;
    private final MemorySegment decryptCtx;
    private final Cleaner.Cleanable cleanable;
    private final int[] outLength = new int[1];
    private final byte[] tag = new byte[TAG_BYTES];
    private boolean destroyed;

    /**
     * @throws IllegalStateException if libcrypto cannot be called here (see {@link #isAvailable()})
     */
    OpenSslAead(EvpCipher evpCipher, byte[] key) {
        this.evpCipher = evpCipher;
        if (!isAvailable()) {
            throw new IllegalStateException("OpenSSL libcrypto is not reachable through FFM: " + NATIVE.unavailableReason);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(evpCipher.displayName + " key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        MemorySegment enc = MemorySegment.NULL;
        MemorySegment dec = MemorySegment.NULL;
        try {
            MemorySegment cipher = evpCipher == EvpCipher.AES_256_GCM
                    ? (MemorySegment) NATIVE.aes256Gcm.invokeExact()
                    : (MemorySegment) NATIVE.chacha20Poly1305.invokeExact();
            enc = (MemorySegment) NATIVE.ctxNew.invokeExact();
            dec = (MemorySegment) NATIVE.ctxNew.invokeExact();
            if (enc.equals(MemorySegment.NULL) || dec.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
            }
            MemorySegment k = MemorySegment.ofArray(key);
            check((int) NATIVE.encryptInit.invokeExact(enc, cipher, MemorySegment.NULL, k, MemorySegment.NULL),
                    "EVP_EncryptInit_ex");
            check((int) NATIVE.decryptInit.invokeExact(dec, cipher, MemorySegment.NULL, k, MemorySegment.NULL),
                    "EVP_DecryptInit_ex");
        } catch (Throwable t) {
            free(enc, dec);
            throw propagate(t);
        }
        this.encryptCtx = enc;
        this.decryptCtx = dec;
        MemorySegment e = enc;
        MemorySegment d = dec;
        this.cleanable = CLEANER.register(this, () -> free(e, d));
    }

    /** True if OpenSSL 3's libcrypto can be called on this platform. */
    public static boolean isAvailable() {
        return NATIVE.unavailableReason == null;
    }

    @Override
    public final synchronized int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkUsable(nonce);
        try {
            MemorySegment length = MemorySegment.ofArray(outLength);
            check((int) NATIVE.encryptInit.invokeExact(encryptCtx, MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL, MemorySegment.ofArray(nonce)), "EVP_EncryptInit_ex");
            if (ad != null && ad.length > 0) {
                check((int) NATIVE.encryptUpdate.invokeExact(encryptCtx, MemorySegment.NULL, length,
                        MemorySegment.ofArray(ad), ad.length), "EVP_EncryptUpdate(ad)");
            }
            check((int) NATIVE.encryptUpdate.invokeExact(encryptCtx, MemorySegment.ofArray(out).asSlice(outOff, len),
                    length, MemorySegment.ofArray(in).asSlice(inOff, len), len), "EVP_EncryptUpdate");
            check((int) NATIVE.encryptFinal.invokeExact(encryptCtx, MemorySegment.ofArray(out).asSlice(outOff + len),
                    length), "EVP_EncryptFinal_ex");
            check((int) NATIVE.ctrl.invokeExact(encryptCtx, CTRL_AEAD_GET_TAG, TAG_BYTES,
                    MemorySegment.ofArray(out).asSlice(outOff + len, TAG_BYTES)), "EVP_CTRL_AEAD_GET_TAG");
        } catch (Throwable t) {
            throw propagate(t);
        }
        return len + TAG_BYTES;
    }

    /**
     * {@inheritDoc}
     *
     * <p>OpenSSL writes the plaintext before it can check the tag, so on a bad tag the output range
     * is wiped before the exception: nothing unauthenticated survives in {@code out}.
     */
    @Override
    public final synchronized int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        checkUsable(nonce);
        Aead.requireTag(len);
        int plain = len - TAG_BYTES;
        int ok;
        try {
            MemorySegment length = MemorySegment.ofArray(outLength);
            // The tag first: decrypting in place overwrites nothing of it, but copy it out anyway so
            // that the in-place case needs no reasoning about overlap.
            System.arraycopy(in, inOff + plain, tag, 0, TAG_BYTES);
            check((int) NATIVE.decryptInit.invokeExact(decryptCtx, MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL, MemorySegment.ofArray(nonce)), "EVP_DecryptInit_ex");
            if (ad != null && ad.length > 0) {
                check((int) NATIVE.decryptUpdate.invokeExact(decryptCtx, MemorySegment.NULL, length,
                        MemorySegment.ofArray(ad), ad.length), "EVP_DecryptUpdate(ad)");
            }
            check((int) NATIVE.decryptUpdate.invokeExact(decryptCtx, MemorySegment.ofArray(out).asSlice(outOff, plain),
                    length, MemorySegment.ofArray(in).asSlice(inOff, plain), plain), "EVP_DecryptUpdate");
            check((int) NATIVE.ctrl.invokeExact(decryptCtx, CTRL_AEAD_SET_TAG, TAG_BYTES, MemorySegment.ofArray(tag)),
                    "EVP_CTRL_AEAD_SET_TAG");
            ok = (int) NATIVE.decryptFinal.invokeExact(decryptCtx, MemorySegment.ofArray(out).asSlice(outOff + plain),
                    length);
        } catch (Throwable t) {
            throw propagate(t);
        }
        if (ok != 1) {
            Arrays.fill(out, outOff, outOff + plain, (byte) 0);
            throw new AEADBadTagException(evpCipher.displayName + " tag mismatch");
        }
        return plain;
    }

    /** Frees the native contexts, which also erases the key schedule. Idempotent. */
    @Override
    public final synchronized void destroy() {
        if (!destroyed) {
            destroyed = true;
            cleanable.clean();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    private void checkUsable(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException(evpCipher.displayName + " key was destroyed");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
    }

    private static void free(MemorySegment enc, MemorySegment dec) {
        try {
            if (!enc.equals(MemorySegment.NULL)) {
                NATIVE.ctxFree.invokeExact(enc);
            }
            if (!dec.equals(MemorySegment.NULL)) {
                NATIVE.ctxFree.invokeExact(dec);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private static void check(int rc, String call) {
        if (rc != 1) {
            throw new IllegalStateException(call + " failed with " + rc);
        }
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The libcrypto functions, bound once; every handle is null when the library is missing. */
    private record Native(
            MethodHandle ctxNew,
            MethodHandle ctxFree,
            MethodHandle chacha20Poly1305,
            MethodHandle aes256Gcm,
            MethodHandle encryptInit,
            MethodHandle encryptUpdate,
            MethodHandle encryptFinal,
            MethodHandle decryptInit,
            MethodHandle decryptUpdate,
            MethodHandle decryptFinal,
            MethodHandle ctrl,
            String unavailableReason) {

        static Native bind() {
            try {
                SymbolLookup crypto = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                Linker linker = Linker.nativeLinker();
                // critical: Java arrays are passed in place; these calls are short and never call back.
                Linker.Option inPlace = Linker.Option.critical(true);
                FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
                FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
                FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
                return new Native(
                        linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
                        linker.downcallHandle(find(crypto, "EVP_chacha20_poly1305"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(find(crypto, "EVP_aes_256_gcm"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(find(crypto, "EVP_EncryptInit_ex"), init, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_EncryptUpdate"), update, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_EncryptFinal_ex"), fin, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_DecryptInit_ex"), init, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_DecryptUpdate"), update, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_DecryptFinal_ex"), fin, inPlace),
                        linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_ctrl"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), inPlace),
                        null);
            } catch (RuntimeException | LinkageError e) {
                return new Native(null, null, null, null, null, null, null, null, null, null, null, e.toString());
            }
        }

        private static MemorySegment find(SymbolLookup lookup, String name) {
            return lookup.find(name).orElseThrow(() -> new IllegalStateException(LIBRARY + " lacks " + name));
        }
    }
}
