package org.parley.libp2p.yamux.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.testing.LoopbackTcp;
import org.parley.libp2p.transport.memory.MemoryPipe;
import org.parley.libp2p.yamux.Yamux;
import org.parley.libp2p.yamux.YamuxConfig;

/**
 * Prints the throughput of one yamux stream over an in-memory pipe and over loopback TCP (no
 * encryption), next to the raw pipe and socket it runs on, so the ratio shows yamux's cost. It
 * also prints the bytes moved per second of process CPU time, which varies less than wall-clock
 * speed on a shared machine.
 *
 * <p>Run: {@code java -cp <test classpath> org.parley.libp2p.yamux.bench.YamuxThroughputBench [MiB] [rounds]}
 * (defaults: 1024 MiB, 3 rounds; the first round of each kind also warms up the JIT).
 */
public final class YamuxThroughputBench {

    /** The application's read and write size: large, as a bulk transfer would use. */
    private static final int CHUNK = 256 * 1024;

    private YamuxThroughputBench() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long bytes = mib * 1024 * 1024;
        Yamux yamux = new Yamux(YamuxConfig.DEFAULT.withKeepAliveInterval(null));
        System.out.printf(Locale.ROOT, "one stream, %d MiB, %d KiB reads and writes, %d cores%n",
                mib, CHUNK / 1024, Runtime.getRuntime().availableProcessors());
        for (int round = 1; round <= rounds; round++) {
            MemoryPipe.Pair pipe = MemoryPipe.pair();
            report(round, "memory pipe, raw  ", raw(pipe.initiator(), pipe.responder(), bytes));
            pipe.close();

            pipe = MemoryPipe.pair();
            report(round, "memory pipe, yamux", muxed(yamux, pipe.initiator(), pipe.responder(), bytes));

            LoopbackTcp.Pair tcp = LoopbackTcp.pair();
            report(round, "loopback TCP, raw  ", raw(tcp.initiator(), tcp.responder(), bytes));
            tcp.close();

            tcp = LoopbackTcp.pair();
            report(round, "loopback TCP, yamux", muxed(yamux, tcp.initiator(), tcp.responder(), bytes));
        }
    }

    /** Throughput of one transfer: MB (10^6 bytes) per wall-clock second and per CPU second. */
    private record Result(double mbPerSecond, double mbPerCpuSecond) {}

    private static void report(int round, String what, Result result) {
        System.out.printf(Locale.ROOT, "round %d  %-20s %8.0f MB/s %8.0f MB per CPU-second%n",
                round, what, result.mbPerSecond(), result.mbPerCpuSecond());
    }

    private static Result muxed(Yamux yamux, Duplex dialer, Duplex listener, long bytes) throws Exception {
        MuxedSession client = yamux.newSession(dialer, true);
        MuxedSession server = yamux.newSession(listener, false);
        try {
            MuxedStream out = client.openStream();
            MuxedStream in = server.acceptStream();
            return transfer(out.out(), out::closeWrite, in.in(), bytes);
        } finally {
            client.close();
            server.close();
        }
    }

    private static Result raw(Duplex dialer, Duplex listener, long bytes) throws Exception {
        return transfer(dialer.out(), dialer::close, listener.in(), bytes);
    }

    /** Writes {@code bytes} on one thread, reads them on another. */
    private static Result transfer(OutputStream out, Runnable endOfStream, InputStream in, long bytes)
            throws Exception {
        CompletableFuture<Long> received = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            try {
                int n;
                while (total < bytes && (n = in.read(buffer)) >= 0) {
                    total += n;
                }
                received.complete(total);
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
        byte[] chunk = new byte[CHUNK];
        long startCpu = processCpuNanos();
        long start = System.nanoTime();
        for (long sent = 0; sent < bytes; sent += CHUNK) {
            out.write(chunk, 0, (int) Math.min(CHUNK, bytes - sent));
        }
        out.flush();
        long total = received.get();
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - startCpu;
        endOfStream.run();
        if (total != bytes) {
            throw new IllegalStateException("received " + total + " of " + bytes + " bytes");
        }
        return new Result(bytes / (elapsed / 1e9) / 1e6, bytes / (cpu / 1e9) / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
