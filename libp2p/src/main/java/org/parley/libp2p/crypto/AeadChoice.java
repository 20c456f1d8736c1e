package org.parley.libp2p.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Picks the faster ChaCha20-Poly1305 for this CPU once, at class initialization. */
final class AeadChoice {

    private static final String POLY1305_INTRINSIC_FLAG = "UsePoly1305Intrinsics";

    private AeadChoice() {}

    static Aead.Factory fastest() {
        if (jdkPoly1305IsIntrinsic() || !SodiumChaCha20Poly1305.isAvailable()) {
            return JdkChaCha20Poly1305::new;
        }
        return SodiumChaCha20Poly1305::new;
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
