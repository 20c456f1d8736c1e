package org.parley.libp2p.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Picks the faster ChaCha20-Poly1305 for this CPU once, at class initialization. */
final class AeadChoice {

    private static final String POLY1305_INTRINSIC_FLAG = "UsePoly1305Intrinsics";

    private AeadChoice() {}

    /**
     * The JDK where HotSpot has its Poly1305 intrinsic (AVX-512); elsewhere OpenSSL's libcrypto, then
     * libsodium, each only if it can be called through FFM; the JDK as the last resort.
     */
    static Aead.Factory fastest() {
        if (jdkPoly1305IsIntrinsic()) {
            return JdkChaCha20Poly1305::new;
        }
        if (OpenSslChaCha20Poly1305.isAvailable()) {
            return OpenSslChaCha20Poly1305::new;
        }
        if (SodiumChaCha20Poly1305.isAvailable()) {
            return SodiumChaCha20Poly1305::new;
        }
        return JdkChaCha20Poly1305::new;
    }

    private static boolean jdkPoly1305IsIntrinsic() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption(POLY1305_INTRINSIC_FLAG).getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // Not HotSpot, or a VM without the flag: no evidence the JDK is fast.
            return false;
        }
    }
}
