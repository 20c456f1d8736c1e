package org.parley.libp2p.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;

/**
 * A benchmark-only {@link Aead} over OpenSSL 3's libcrypto ({@code EVP_chacha20_poly1305}) through
 * FFM, to measure in the same run what the Noise transport would gain from OpenSSL's AVX2 code,
 * which docs/performance-anchors.md rates well above libsodium's. Not used by any protocol.
 *
 * <p>Threading: one thread at a time, as for every {@link Aead}: the EVP context holds state.
 * The context is freed only when the JVM exits (benchmarks make a handful).
 */
@SuppressWarnings("restricted")
final class OpenSslChaCha20Poly1305 implements Aead {

    /** {@code EVP_CTRL_AEAD_GET_TAG} and {@code EVP_CTRL_AEAD_SET_TAG} from openssl/evp.h. */
    private static final int CTRL_AEAD_GET_TAG = 0x10;
    private static final int CTRL_AEAD_SET_TAG = 0x11;

    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CIPHER;
    private static final MethodHandle ENCRYPT_INIT;
    private static final MethodHandle ENCRYPT_UPDATE;
    private static final MethodHandle ENCRYPT_FINAL;
    private static final MethodHandle DECRYPT_INIT;
    private static final MethodHandle DECRYPT_UPDATE;
    private static final MethodHandle DECRYPT_FINAL;
    private static final MethodHandle CTRL;
    /** Why libcrypto could not be bound, or null when it was. */
    static final String UNAVAILABLE_REASON;

    static {
        MethodHandle ctxNew = null;
        MethodHandle cipher = null;
        MethodHandle encInit = null;
        MethodHandle encUpdate = null;
        MethodHandle encFinal = null;
        MethodHandle decInit = null;
        MethodHandle decUpdate = null;
        MethodHandle decFinal = null;
        MethodHandle ctrl = null;
        String reason = null;
        try {
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            Linker linker = Linker.nativeLinker();
            // critical: Java arrays are passed in place; these calls are short and never call back.
            Linker.Option inPlace = Linker.Option.critical(true);
            FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
            FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            ctxNew = linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(ADDRESS));
            cipher = linker.downcallHandle(find(crypto, "EVP_chacha20_poly1305"), FunctionDescriptor.of(ADDRESS));
            encInit = linker.downcallHandle(find(crypto, "EVP_EncryptInit_ex"), init, inPlace);
            encUpdate = linker.downcallHandle(find(crypto, "EVP_EncryptUpdate"), update, inPlace);
            encFinal = linker.downcallHandle(find(crypto, "EVP_EncryptFinal_ex"), fin, inPlace);
            decInit = linker.downcallHandle(find(crypto, "EVP_DecryptInit_ex"), init, inPlace);
            decUpdate = linker.downcallHandle(find(crypto, "EVP_DecryptUpdate"), update, inPlace);
            decFinal = linker.downcallHandle(find(crypto, "EVP_DecryptFinal_ex"), fin, inPlace);
            ctrl = linker.downcallHandle(find(crypto, "EVP_CIPHER_CTX_ctrl"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), inPlace);
        } catch (RuntimeException | LinkageError e) {
            reason = e.toString();
        }
        CTX_NEW = ctxNew;
        CIPHER = cipher;
        ENCRYPT_INIT = encInit;
        ENCRYPT_UPDATE = encUpdate;
        ENCRYPT_FINAL = encFinal;
        DECRYPT_INIT = decInit;
        DECRYPT_UPDATE = decUpdate;
        DECRYPT_FINAL = decFinal;
        CTRL = ctrl;
        UNAVAILABLE_REASON = reason;
    }

    private final MemorySegment encryptCtx;
    private final MemorySegment decryptCtx;
    private final int[] outLength = new int[1];
    private final byte[] tag = new byte[TAG_BYTES];

    OpenSslChaCha20Poly1305(byte[] key) {
        if (UNAVAILABLE_REASON != null) {
            throw new IllegalStateException("OpenSSL libcrypto is not reachable through FFM: " + UNAVAILABLE_REASON);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        try {
            MemorySegment cipher = (MemorySegment) CIPHER.invokeExact();
            encryptCtx = (MemorySegment) CTX_NEW.invokeExact();
            decryptCtx = (MemorySegment) CTX_NEW.invokeExact();
            MemorySegment k = MemorySegment.ofArray(key);
            check((int) ENCRYPT_INIT.invokeExact(encryptCtx, cipher, MemorySegment.NULL, k, MemorySegment.NULL), "EVP_EncryptInit_ex");
            check((int) DECRYPT_INIT.invokeExact(decryptCtx, cipher, MemorySegment.NULL, k, MemorySegment.NULL), "EVP_DecryptInit_ex");
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Proves the bench-only OpenSSL binding computes the same AEAD as the JDK, both ways. */
    static void crossCheck() throws AEADBadTagException {
        byte[] key = new byte[Aead.KEY_BYTES];
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        byte[] plain = new byte[1000];
        ThreadLocalRandom.current().nextBytes(key);
        ThreadLocalRandom.current().nextBytes(nonce);
        ThreadLocalRandom.current().nextBytes(plain);
        byte[] ad = {1, 2, 3};
        byte[] byOpenSsl = new byte[plain.length + Aead.TAG_BYTES];
        byte[] byJdk = new byte[plain.length + Aead.TAG_BYTES];
        new OpenSslChaCha20Poly1305(key).seal(nonce, ad, plain, 0, plain.length, byOpenSsl, 0);
        new JdkChaCha20Poly1305(key).seal(nonce, ad, plain, 0, plain.length, byJdk, 0);
        byte[] opened = new byte[plain.length];
        new OpenSslChaCha20Poly1305(key).open(nonce, ad, byJdk, 0, byJdk.length, opened, 0);
        if (!Arrays.equals(byOpenSsl, byJdk) || !Arrays.equals(opened, plain)) {
            throw new IllegalStateException("the OpenSSL binding disagrees with the JDK's ChaCha20-Poly1305");
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            MemorySegment n = MemorySegment.ofArray(nonce);
            MemorySegment length = MemorySegment.ofArray(outLength);
            check((int) ENCRYPT_INIT.invokeExact(encryptCtx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, n), "EVP_EncryptInit_ex");
            if (ad != null && ad.length > 0) {
                check((int) ENCRYPT_UPDATE.invokeExact(encryptCtx, MemorySegment.NULL, length, MemorySegment.ofArray(ad), ad.length), "EVP_EncryptUpdate(ad)");
            }
            check((int) ENCRYPT_UPDATE.invokeExact(encryptCtx, MemorySegment.ofArray(out).asSlice(outOff, len), length,
                    MemorySegment.ofArray(in).asSlice(inOff, len), len), "EVP_EncryptUpdate");
            check((int) ENCRYPT_FINAL.invokeExact(encryptCtx, MemorySegment.ofArray(out).asSlice(outOff + len), length), "EVP_EncryptFinal_ex");
            check((int) CTRL.invokeExact(encryptCtx, CTRL_AEAD_GET_TAG, TAG_BYTES,
                    MemorySegment.ofArray(out).asSlice(outOff + len, TAG_BYTES)), "EVP_CTRL_AEAD_GET_TAG");
        } catch (Throwable t) {
            throw propagate(t);
        }
        return len + TAG_BYTES;
    }

    @Override
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        if (len < TAG_BYTES) {
            throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than the " + TAG_BYTES + "-byte tag");
        }
        int plain = len - TAG_BYTES;
        int ok;
        try {
            MemorySegment n = MemorySegment.ofArray(nonce);
            MemorySegment length = MemorySegment.ofArray(outLength);
            check((int) DECRYPT_INIT.invokeExact(decryptCtx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, n), "EVP_DecryptInit_ex");
            if (ad != null && ad.length > 0) {
                check((int) DECRYPT_UPDATE.invokeExact(decryptCtx, MemorySegment.NULL, length, MemorySegment.ofArray(ad), ad.length), "EVP_DecryptUpdate(ad)");
            }
            // OpenSSL writes plaintext before it checks the tag; the Aead contract says nothing is
            // written on a bad tag, which this benchmark-only class does not keep.
            check((int) DECRYPT_UPDATE.invokeExact(decryptCtx, MemorySegment.ofArray(out).asSlice(outOff, plain), length,
                    MemorySegment.ofArray(in).asSlice(inOff, plain), plain), "EVP_DecryptUpdate");
            System.arraycopy(in, inOff + plain, tag, 0, TAG_BYTES);
            check((int) CTRL.invokeExact(decryptCtx, CTRL_AEAD_SET_TAG, TAG_BYTES, MemorySegment.ofArray(tag)), "EVP_CTRL_AEAD_SET_TAG");
            ok = (int) DECRYPT_FINAL.invokeExact(decryptCtx, MemorySegment.ofArray(out).asSlice(outOff + plain), length);
        } catch (Throwable t) {
            throw propagate(t);
        }
        if (ok != 1) {
            throw new AEADBadTagException("ChaCha20-Poly1305 tag mismatch");
        }
        return plain;
    }

    @Override
    public void destroy() {
        // The contexts keep the key schedule until the JVM exits; acceptable for a benchmark.
    }

    @Override
    public String toString() {
        return "OpenSslChaCha20Poly1305";
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

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libcrypto lacks " + name));
    }
}
