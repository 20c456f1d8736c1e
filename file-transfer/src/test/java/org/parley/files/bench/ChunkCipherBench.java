package org.parley.files.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javax.crypto.AEADBadTagException;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.crypto.FileKey;
import org.parley.files.merkle.MerkleTree;

/**
 * Compares the chunk cipher suites on 256 KiB chunks, one core: seal and open through
 * {@link ChunkCipher} for each {@link ChunkCipherSuite}, and the SHA-256 leaf hash every piece also
 * costs. Prints MB per CPU second (MB = 10^6 bytes; CPU time, so the figure holds on a loaded
 * machine) and which suite {@link ChunkCipherSuite#fastest()} picks here. Run with java -cp.
 */
public final class ChunkCipherBench {

    private static final int CHUNK = 256 * 1024;
    private static final int ROUNDS = 4096; // 1 GiB per measurement
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ChunkCipherBench() {}

    public static void main(String[] args) throws AEADBadTagException {
        byte[] plain = new byte[CHUNK];
        byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_BYTES];
        FileKey key = FileKey.generate();
        for (int warm = 0; warm < 2; warm++) {
            for (ChunkCipherSuite suite : ChunkCipherSuite.values()) {
                try (ChunkCipher cipher = new ChunkCipher(key, suite)) {
                    double seal = measure(() -> {
                        for (int i = 0; i < ROUNDS; i++) {
                            cipher.sealChunk(i, plain, CHUNK, sealed);
                        }
                    });
                    cipher.sealChunk(7, plain, CHUNK, sealed);
                    double open = measure(() -> {
                        for (int i = 0; i < ROUNDS; i++) {
                            try {
                                cipher.openChunk(7, sealed, CHUNK + ChunkCipher.TAG_BYTES, plain);
                            } catch (AEADBadTagException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
                    System.out.printf("%s: %s seal %.0f, open %.0f MB per CPU s%n", warm == 0 ? "warm-up " : "measured", suite, seal, open);
                }
            }
            java.security.MessageDigest sha = MerkleTree.sha256();
            double hash = measure(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    MerkleTree.leafHash(sha, sealed, sealed.length);
                }
            });
            System.out.printf("%s: SHA-256 leaf hash %.0f MB per CPU s%n", warm == 0 ? "warm-up " : "measured", hash);
        }
        System.out.println("ChunkCipherSuite.fastest() here: " + ChunkCipherSuite.fastest());
    }

    private static double measure(Runnable work) {
        long start = THREADS.getCurrentThreadCpuTime();
        work.run();
        double seconds = (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        return (double) CHUNK * ROUNDS / 1e6 / seconds;
    }
}
