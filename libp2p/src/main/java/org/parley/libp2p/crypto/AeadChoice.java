package org.parley.libp2p.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Picks the ChaCha20-Poly1305 implementation for this machine once, at class initialization, by
 * the order measured with {@code scripts/bench micro-crypto} (JMH, ns per message; 2026-12-06, AMD
 * EPYC with AVX-512, JDK 25.0.3, the JDK's Poly1305 and ChaCha20 intrinsics on):
 *
 * <pre>
 *              64 B    1 KiB   16 KiB   64 KiB   (seal, ns)
 *   OpenSSL     638      818    4,437   18,524
 *   JDK         878    1,037    5,847   21,513
 *   libsodium   306      838    9,950   38,761
 * </pre>
 *
 * OpenSSL's libcrypto is the fastest from 1 KiB on, also where the JDK has its intrinsics (without
 * AVX-512 the JDK's Poly1305 runs as plain Java and seals about 0.4 GB per CPU-second, OpenSSL about
 * 2); libsodium wins only on the smallest messages, which cost little either way.
 */
final class AeadChoice {

    private static final String POLY1305_INTRINSIC_FLAG = "UsePoly1305Intrinsics";

    private AeadChoice() {}

    /**
     * OpenSSL's libcrypto if it can be called through FFM; else the JDK where HotSpot has its
     * Poly1305 intrinsic; else libsodium through FFM; the JDK as the last resort.
     */
    static Aead.Factory fastest() {
        if (OpenSslChaCha20Poly1305.isAvailable()) {
            return OpenSslChaCha20Poly1305::new;
        }
        if (jdkPoly1305IsIntrinsic()) {
            return JdkChaCha20Poly1305::new;
        }
        if (SodiumChaCha20Poly1305.isAvailable()) {
            return SodiumChaCha20Poly1305::new;
        }
        return JdkChaCha20Poly1305::new;
    }

    /**
     * Whether HotSpot intrinsifies Poly1305 here. The flag is a diagnostic one: unless the JVM runs
     * with {@code -XX:+UnlockDiagnosticVMOptions} it cannot be read, and this says no.
     */
    private static boolean jdkPoly1305IsIntrinsic() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption(POLY1305_INTRINSIC_FLAG).getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // Not HotSpot, a VM without the flag, or diagnostic flags locked: no evidence the JDK is fast.
            return false;
        }
    }
}
