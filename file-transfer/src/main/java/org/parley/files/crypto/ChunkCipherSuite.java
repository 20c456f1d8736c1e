package org.parley.files.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.OpenSslAead;
import org.parley.libp2p.crypto.OpenSslAes256Gcm;

/**
 * The AEAD that seals a file's chunks and name, named in the file's manifest so that every peer
 * opens the chunks with the cipher the sharer chose. The sharer picks the one faster on its CPU
 * ({@link #fastest()}, by a short benchmark); a downloader follows the manifest whatever its own
 * CPU prefers.
 *
 * <p>Measured 2026-12-04 on the shared 2-core AMD EPYC (AVX2, AES-NI, VAES, VPCLMULQDQ, SHA-NI, no
 * AVX-512), 256 KiB chunks, MB per CPU second on one core: OpenSSL 3.0's AES-256-GCM 3,370 and
 * ChaCha20-Poly1305 2,140 ({@code openssl speed}); the JDK's AES-256-GCM 3,200 once compiled but
 * 55 for its first 180 MB (HotSpot's intrinsic only runs in C2-compiled code), its ChaCha20-Poly1305
 * 450 (no Poly1305 intrinsic without AVX-512). So AES-256-GCM is used only through OpenSSL, and only
 * where it measures faster than ChaCha20-Poly1305: a CPU without AES and carry-less multiply
 * instructions runs AES-GCM several times slower than ChaCha20.
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

    /** The faster suite on this CPU, measured once. */
    public static ChunkCipherSuite fastest() {
        return Choice.FASTEST;
    }

    /** The implementation of this suite for this machine. */
    Aead.Factory factory() {
        if (this == CHACHA20_POLY1305) {
            return Aead.CHACHA20_POLY1305;
        }
        return OpenSslAead.isAvailable() ? OpenSslAes256Gcm::new : JdkAes256Gcm::new;
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** Holder: the benchmark runs once, on first use (about a millisecond of CPU). */
    private static final class Choice {

        /** Bytes sealed per timed round: large enough to time, small enough to cost nothing. */
        private static final int ROUND_BYTES = 64 * 1024;
        /** Rounds per cipher, interleaved; the fastest round of each counts, so a preempted round does not. */
        private static final int ROUNDS = 8;
        /**
         * AES-256-GCM must be this much faster to be chosen: ChaCha20-Poly1305 is manifest format 1,
         * which nodes older than format 2 can also fetch, so a near tie goes to it.
         */
        private static final double REQUIRED_SPEEDUP = 1.15;

        static final ChunkCipherSuite FASTEST = measure();

        private static ChunkCipherSuite measure() {
            if (!OpenSslAead.isAvailable()) {
                return CHACHA20_POLY1305;
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isCurrentThreadCpuTimeSupported()) {
                return CHACHA20_POLY1305;
            }
            byte[] key = new byte[Aead.KEY_BYTES];
            byte[] plain = new byte[ROUND_BYTES];
            byte[] sealed = new byte[ROUND_BYTES + Aead.TAG_BYTES];
            Aead chacha = CHACHA20_POLY1305.factory().create(key);
            Aead aes = AES_256_GCM.factory().create(key);
            try {
                long bestChacha = Long.MAX_VALUE;
                long bestAes = Long.MAX_VALUE;
                for (int round = 0; round <= ROUNDS; round++) {
                    byte[] nonce = new byte[Aead.NONCE_BYTES];
                    nonce[0] = (byte) round;
                    long chachaNanos = time(threads, chacha, nonce, plain, sealed);
                    long aesNanos = time(threads, aes, nonce, plain, sealed);
                    if (round > 0) { // round 0 warms up
                        bestChacha = Math.min(bestChacha, chachaNanos);
                        bestAes = Math.min(bestAes, aesNanos);
                    }
                }
                return bestAes * REQUIRED_SPEEDUP < bestChacha ? AES_256_GCM : CHACHA20_POLY1305;
            } finally {
                chacha.destroy();
                aes.destroy();
            }
        }

        private static long time(ThreadMXBean threads, Aead aead, byte[] nonce, byte[] plain, byte[] sealed) {
            long start = threads.getCurrentThreadCpuTime();
            aead.seal(nonce, null, plain, 0, plain.length, sealed, 0);
            return threads.getCurrentThreadCpuTime() - start;
        }
    }
}
