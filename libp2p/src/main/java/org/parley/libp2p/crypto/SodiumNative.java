package org.parley.libp2p.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct (FFM) handles to the libsodium functions that bulk paths call. JNA copies every byte[]
 * argument whole into native memory and back, which for 64 KiB frames adds about half the cipher's
 * own time; a critical FFM downcall lets libsodium read and write the Java arrays in place.
 *
 * <p>It binds the very library lazysodium loaded (found in {@code /proc/self/maps}), so both
 * bindings share one copy and one {@code sodium_init()}. If that fails (another OS, native access
 * denied) the handles stay null and callers fall back to the JDK. Thread safe.
 */
// Restricted FFM calls are the point of this class; the JVM runs with --enable-native-access for
// lazysodium (JNA) already.
@SuppressWarnings("restricted")
final class SodiumNative {

    private static final Logger log = LoggerFactory.getLogger(SodiumNative.class);

    /** {@code int crypto_aead_chacha20poly1305_ietf_encrypt(c, clen_p, m, mlen, ad, adlen, nsec, npub, k)}; null if unavailable. */
    static final MethodHandle AEAD_CHACHA20POLY1305_IETF_ENCRYPT;
    /** {@code int crypto_aead_chacha20poly1305_ietf_decrypt(m, mlen_p, nsec, c, clen, ad, adlen, npub, k)}; null if unavailable. */
    static final MethodHandle AEAD_CHACHA20POLY1305_IETF_DECRYPT;
    /** Why the handles are null, or null when they are bound. */
    static final String UNAVAILABLE_REASON;

    static {
        MethodHandle encrypt = null;
        MethodHandle decrypt = null;
        String reason = null;
        try {
            Sodium.get();
            SymbolLookup sodium = locate();
            FunctionDescriptor encryptSignature = FunctionDescriptor.of(
                    JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor decryptSignature = FunctionDescriptor.of(
                    JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS);
            Linker linker = Linker.nativeLinker();
            // critical(true): no safepoint during the call and heap arrays passed in place; these
            // functions run for tens of microseconds and never call back into Java.
            Linker.Option inPlace = Linker.Option.critical(true);
            encrypt = linker.downcallHandle(
                    find(sodium, "crypto_aead_chacha20poly1305_ietf_encrypt"), encryptSignature, inPlace);
            decrypt = linker.downcallHandle(
                    find(sodium, "crypto_aead_chacha20poly1305_ietf_decrypt"), decryptSignature, inPlace);
        } catch (RuntimeException | LinkageError e) {
            reason = e.toString();
            log.warn("libsodium is not reachable through FFM ({}); bulk ChaCha20-Poly1305 uses the JDK", reason);
        }
        AEAD_CHACHA20POLY1305_IETF_ENCRYPT = encrypt;
        AEAD_CHACHA20POLY1305_IETF_DECRYPT = decrypt;
        UNAVAILABLE_REASON = reason;
    }

    private SodiumNative() {}

    private static SymbolLookup locate() {
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            try {
                List<String> lines = Files.readAllLines(maps);
                for (String line : lines) {
                    int slash = line.indexOf('/');
                    if (slash >= 0 && line.contains("libsodium") && !line.endsWith("(deleted)")) {
                        return SymbolLookup.libraryLookup(Path.of(line.substring(slash)), Arena.global());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/self/maps to find libsodium", e);
            }
        }
        return SymbolLookup.libraryLookup(System.mapLibraryName("sodium"), Arena.global());
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libsodium lacks " + name));
    }
}
