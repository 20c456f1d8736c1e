package org.parley.files.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The AEAD that seals a file's chunks and name, named in the file's manifest so that every peer
 * opens the chunks with the cipher the sharer chose. The sharer picks the one faster on its CPU
 * ({@link #fastest()}); a downloader follows the manifest whatever its own CPU prefers.
 *
 * <p>Measured 2026-12-04 on the shared 2-core AMD EPYC (AVX2, AES-NI, VAES, VPCLMULQDQ, SHA-NI, no
 * AVX-512), 256 KiB chunks, MB per CPU second on one core: the JDK's AES-256-GCM sealed 3,200 and
 * opened 2,950; ChaCha20-Poly1305 through the project's {@code Aead} (OpenSSL here, as HotSpot has no
 * Poly1305 intrinsic without AVX-512) about 2,100 ({@code openssl speed}; the JDK's own 450). Where
 * HotSpot has its Poly1305 intrinsic (AVX-512) the JDK's ChaCha20-Poly1305 reached 1,614
 * (performance-anchors.md), still below AES-GCM on any CPU that has both AES and carry-less multiply
 * instructions. So: AES-256-GCM wherever HotSpot intrinsifies AES and GHASH, else ChaCha20-Poly1305,
 * which is fast in software everywhere.
 */
public enum ChunkCipherSuite {

    /** Manifest format 1 implies it: every file shared before the choice existed. */
    CHACHA20_POLY1305(1, "ChaCha20-Poly1305"),
    AES_256_GCM(2, "AES-256-GCM");

    /** Its byte in the manifest. */
    public final int code;
    private final String displayName;

    ChunkCipherSuite(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** The suite with this manifest code, or null if this version knows none. */
    public static ChunkCipherSuite ofCode(int code) {
        for (ChunkCipherSuite suite : values()) {
            if (suite.code == code) {
                return suite;
            }
        }
        return null;
    }

    /** The faster suite on this CPU, decided once. */
    public static ChunkCipherSuite fastest() {
        return Choice.FASTEST;
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** Holder: the flags are read once, on first use. */
    private static final class Choice {

        private static final String[] AES_GCM_INTRINSIC_FLAGS = {"UseAESIntrinsics", "UseAESCTRIntrinsics", "UseGHASHIntrinsics"};
        static final ChunkCipherSuite FASTEST = aesGcmIsIntrinsic() ? AES_256_GCM : CHACHA20_POLY1305;

        private static boolean aesGcmIsIntrinsic() {
            try {
                HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                if (hotspot == null) {
                    return false;
                }
                for (String flag : AES_GCM_INTRINSIC_FLAGS) {
                    if (!Boolean.parseBoolean(hotspot.getVMOption(flag).getValue())) {
                        return false;
                    }
                }
                return true;
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not HotSpot, or a VM without these flags: no evidence that AES-GCM is fast here.
                return false;
            }
        }
    }
}
