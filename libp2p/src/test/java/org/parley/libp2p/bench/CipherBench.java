package org.parley.libp2p.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.crypto.Aead;

/**
 * Single-core ChaCha20-Poly1305 speed through the {@link Aead} facade on 64 KiB buffers, the
 * ceiling of one encrypted stream per direction. Every message gets a fresh nonce, as in Noise.
 * Not thread safe; runs on the caller's thread, whose CPU time it also reads.
 */
final class CipherBench {

    /** What {@code openssl speed} and docs/performance-anchors.md use for the anchor figures. */
    static final int BUFFER_BYTES = 64 * 1024;

    private final Aead.Factory factory;
    private final long bytesPerRun;
    private final int warmupRuns;
    private final int runs;

    CipherBench(Aead.Factory factory, long bytesPerRun, int warmupRuns, int runs) {
        this.factory = factory;
        this.bytesPerRun = bytesPerRun;
        this.warmupRuns = warmupRuns;
        this.runs = runs;
    }

    /**
     * MB/s by the wall clock, and MB per second of this thread's CPU time, which a loaded machine
     * does not lower.
     */
    record Result(Samples wall, Samples cpu) {}

    /** The speed of {@code seal} over {@link #BUFFER_BYTES} plaintexts. */
    Result seal() {
        Aead aead = factory.create(key());
        byte[] in = new byte[BUFFER_BYTES];
        ThreadLocalRandom.current().nextBytes(in);
        byte[] out = new byte[BUFFER_BYTES + Aead.TAG_BYTES];
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        long[] counter = {0};
        return measure(() -> {
            setCounter(nonce, counter[0]++);
            aead.seal(nonce, null, in, 0, BUFFER_BYTES, out, 0);
        });
    }

    /** The speed of {@code open} (tag check and decryption) of {@link #BUFFER_BYTES} plaintexts. */
    Result open() {
        Aead aead = factory.create(key());
        byte[] plain = new byte[BUFFER_BYTES];
        ThreadLocalRandom.current().nextBytes(plain);
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        byte[] sealed = new byte[BUFFER_BYTES + Aead.TAG_BYTES];
        aead.seal(nonce, null, plain, 0, BUFFER_BYTES, sealed, 0);
        return measure(() -> {
            try {
                aead.open(nonce, null, sealed, 0, sealed.length, plain, 0);
            } catch (AEADBadTagException e) {
                throw new IllegalStateException("a message sealed a moment ago failed to open", e);
            }
        });
    }

    private Result measure(Runnable oneBuffer) {
        long buffers = Math.max(1, bytesPerRun / BUFFER_BYTES);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmupRuns; i++) {
            run(oneBuffer, buffers);
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallNanos = run(oneBuffer, buffers);
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            wall[i] = SinkProtocol.megabytesPerSecond(buffers * BUFFER_BYTES, wallNanos);
            cpu[i] = SinkProtocol.megabytesPerSecond(buffers * BUFFER_BYTES, cpuNanos);
        }
        return new Result(Samples.of(wall), Samples.of(cpu));
    }

    private static long run(Runnable oneBuffer, long buffers) {
        long start = System.nanoTime();
        for (long i = 0; i < buffers; i++) {
            oneBuffer.run();
        }
        return System.nanoTime() - start;
    }

    private static byte[] key() {
        byte[] key = new byte[Aead.KEY_BYTES];
        ThreadLocalRandom.current().nextBytes(key);
        return key;
    }

    /** The Noise nonce layout: 4 zero bytes, then the counter little-endian. */
    private static void setCounter(byte[] nonce, long n) {
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
    }
}
