package org.parley.node.files.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.crypto.AEADBadTagException;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.ChunkSizes;
import org.parley.files.merkle.MerkleTree;
import org.parley.libp2p.crypto.Aead;

/**
 * The CPU that a 1 → 1 transfer cannot avoid, measured on this machine: each step that the file's
 * bytes must pass through once, on its own, with nothing else of Parley around it. The seeder reads
 * the file from the page cache and seals each chunk; Noise seals and opens every byte on the
 * connection; the kernel copies them through loopback TCP; the leecher hashes each chunk for the
 * Merkle check, opens it and writes it into a fresh file. Their sum is the least CPU time a GiB can
 * cost with these layers, and {@code cores / floor} the most any implementation of them could move
 * on this machine, with seeder and leecher sharing its cores as the benchmark has them. It prints
 * that beside WebTorrent's rate so a run shows what ratio the machine allows at all.
 *
 * <p>Each step runs over {@link #SAMPLE_BYTES} and is scaled to a GiB. CPU time is the thread's
 * (user and system) for the steps on one thread, the process's for the TCP pair; the kernel's
 * later write-back of dirty pages is charged to neither, nor to the transfer it stands for.
 */
final class TransferFloor {

    /** Bytes each step runs over: enough for a stable figure, little enough to take a few seconds. */
    static final long SAMPLE_BYTES = 256L << 20;
    private static final int CHUNK = ChunkSizes.DEFAULT_CHUNK_SIZE;
    /** The largest Noise frame's plaintext: 65,535 bytes less the tag. */
    private static final int NOISE_FRAME = 65_535 - Aead.TAG_BYTES;
    private static final double GIB = 1L << 30;
    /** Runs of each step; the least CPU counts. */
    private static final int RUNS = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU seconds per GiB of each step. */
    record Figures(double readFile, double sealChunks, double noise, double loopbackTcp, double hashChunks,
                   double openChunks, double writeFile) {

        double total() {
            return readFile + sealChunks + noise + loopbackTcp + hashChunks + openChunks + writeFile;
        }

        /** The most MB/s this floor allows on {@code cores} fully busy cores. */
        double ceilingMbps(int cores) {
            return cores * GIB / 1e6 / total();
        }

        String describe() {
            return String.format(Locale.ROOT, "%.2f CPU s per GiB: seeder reads the file %.2f, seals chunks %.2f;"
                    + " Noise seals and opens %.2f; loopback TCP %.2f; leecher hashes chunks %.2f, opens them %.2f,"
                    + " writes a fresh file %.2f", total(), readFile, sealChunks, noise, loopbackTcp, hashChunks,
                    openChunks, writeFile);
        }
    }

    private TransferFloor() {}

    /**
     * Measures every step, reading {@code source} (at least {@link #SAMPLE_BYTES}) and writing into
     * {@code dir}. Each step runs {@link #RUNS} times and its least CPU counts: the first run also
     * compiles its code, which a long transfer pays once.
     */
    static Figures measure(Path source, Path dir) throws Exception {
        byte[] plain = new byte[CHUNK];
        new Random(1).nextBytes(plain);
        byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_BYTES];
        byte[] opened = new byte[CHUNK];
        int chunks = (int) (SAMPLE_BYTES / CHUNK);
        double sealChunks;
        double openChunks;
        try (ChunkCipher cipher = new ChunkCipher(FileKey.generate(), ChunkCipherSuite.fastest())) {
            sealChunks = least(() -> threadCpu(() -> {
                for (int i = 0; i < chunks; i++) {
                    cipher.sealChunk(i, plain, CHUNK, sealed);
                }
            }));
            cipher.sealChunk(7, plain, CHUNK, sealed);
            openChunks = least(() -> threadCpu(() -> {
                for (int i = 0; i < chunks; i++) {
                    try {
                        cipher.openChunk(7, sealed, sealed.length, opened);
                    } catch (AEADBadTagException e) {
                        throw new IllegalStateException("a chunk sealed here did not open", e);
                    }
                }
            }));
        }
        MessageDigest sha = MerkleTree.sha256();
        double hashChunks = least(() -> threadCpu(() -> {
            for (int i = 0; i < chunks; i++) {
                MerkleTree.leafHash(sha, sealed, sealed.length);
            }
        }));
        return new Figures(least(() -> readFile(source)), sealChunks, least(TransferFloor::noise),
                least(TransferFloor::loopbackTcp), hashChunks, openChunks, least(() -> writeFile(dir)));
    }

    /** One run of a step: the CPU nanoseconds it took over {@link #SAMPLE_BYTES}. */
    private interface Step {
        long run() throws Exception;
    }

    /** The least CPU of {@link #RUNS} runs of {@code step}, in seconds per GiB. */
    private static double least(Step step) throws Exception {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            least = Math.min(least, step.run());
        }
        return least / 1e9 * (GIB / SAMPLE_BYTES);
    }

    /** Seals and opens {@link #SAMPLE_BYTES} in full Noise frames with the cipher Noise runs on here. */
    private static long noise() {
        Aead aead = Aead.CHACHA20_POLY1305.create(new byte[Aead.KEY_BYTES]);
        try {
            byte[] frame = new byte[NOISE_FRAME + Aead.TAG_BYTES];
            byte[] out = new byte[NOISE_FRAME + Aead.TAG_BYTES];
            byte[] nonce = new byte[Aead.NONCE_BYTES];
            long frames = SAMPLE_BYTES / NOISE_FRAME;
            return threadCpu(() -> {
                for (long i = 0; i < frames; i++) {
                    nonce[4] = (byte) i;
                    nonce[5] = (byte) (i >>> 8);
                    nonce[6] = (byte) (i >>> 16);
                    aead.seal(nonce, null, frame, 0, NOISE_FRAME, out, 0);
                    try {
                        aead.open(nonce, null, out, 0, NOISE_FRAME + Aead.TAG_BYTES, frame, 0);
                    } catch (AEADBadTagException e) {
                        throw new IllegalStateException("a frame sealed here did not open", e);
                    }
                }
            });
        } finally {
            aead.destroy();
        }
    }

    /** One plain TCP connection over 127.0.0.1, a writer and a reader thread; the process's CPU. */
    private static long loopbackTcp() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                    long total = 0;
                    for (int n; (n = in.read(buffer.clear())) >= 0; ) {
                        total += n;
                    }
                    return total;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
            long before = processCpuNanos();
            try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                for (long sent = 0; sent < SAMPLE_BYTES; sent += CHUNK) {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
            }
            if (received.get() != SAMPLE_BYTES) {
                throw new IllegalStateException("loopback TCP lost bytes");
            }
            return processCpuNanos() - before;
        }
    }

    private static long readFile(Path source) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (in.size() < SAMPLE_BYTES) {
                throw new IllegalArgumentException(source + " is smaller than the floor's sample");
            }
            return chunkByChunk(in::read);
        }
    }

    /** Writes {@link #SAMPLE_BYTES} into a new file (fresh page-cache pages, as a download's), then deletes it. */
    private static long writeFile(Path dir) throws IOException {
        Path file = dir.resolve("floor-write.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return chunkByChunk(out::write);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A positional read or write of one chunk. */
    private interface ChunkIo {
        void at(ByteBuffer chunk, long position) throws IOException;
    }

    /** The thread's CPU for {@link #SAMPLE_BYTES} through {@code io}, one heap chunk at a time, as Parley's file I/O goes. */
    private static long chunkByChunk(ChunkIo io) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        return threadCpu(() -> {
            for (long at = 0; at < SAMPLE_BYTES; at += CHUNK) {
                try {
                    io.at(buffer.clear(), at);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private static long threadCpu(Runnable step) {
        long before = THREADS.getCurrentThreadCpuTime();
        step.run();
        return THREADS.getCurrentThreadCpuTime() - before;
    }

    /** CPU time of this JVM (all its threads), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
