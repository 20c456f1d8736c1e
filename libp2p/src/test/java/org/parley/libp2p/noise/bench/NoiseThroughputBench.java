package org.parley.libp2p.noise.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.memory.MemoryPipe;

/**
 * Prints the throughput of ChaCha20-Poly1305 (JDK and libsodium, 64 KiB buffers, one core) and of
 * one Noise channel over an in-memory pipe and over loopback TCP, side by side in one run, with
 * each figure's ratio to the JDK cipher. The goal (docs/performance-anchors.md) is a Noise stream
 * at 40% or more of the JDK cipher's speed.
 *
 * <p>Besides wall-clock MB/s it prints MB per second of process CPU time, which stays meaningful
 * when other work shares the machine: a channel run costs encryption plus decryption plus copies,
 * so its CPU figure is about half of a raw cipher's at best.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * org.parley.libp2p.noise.bench.NoiseThroughputBench [MiB per channel run] [rounds]}.
 * Single threaded except for the one reader thread per channel run.
 */
public final class NoiseThroughputBench {

    private static final int BUFFER = 64 * 1024;
    private static final byte[] NONCE = new byte[Aead.NONCE_BYTES];

    private NoiseThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long bytes = (long) mib * 1024 * 1024;
        byte[] key = new byte[Aead.KEY_BYTES];
        Arrays.fill(key, (byte) 7);

        System.out.printf(Locale.ROOT, "Noise throughput, %d MiB per run, median of %d rounds (MB = 10^6 bytes)%n", mib, rounds);
        System.out.printf(Locale.ROOT, "%-44s %12s %5s | %21s %5s%n", "", "wall clock", "/JDK", "CPU time", "/JDK");
        Rate jdk = median(rounds, () -> rawSeal(new JdkChaCha20Poly1305(key), bytes));
        report("JDK ChaCha20-Poly1305 seal, 64 KiB", jdk, jdk);
        report("JDK ChaCha20-Poly1305 open, 64 KiB", median(rounds, () -> rawOpen(new JdkChaCha20Poly1305(key), bytes)), jdk);
        report("libsodium ChaCha20-Poly1305 seal, 64 KiB", median(rounds, () -> rawSeal(new SodiumChaCha20Poly1305(key), bytes)), jdk);
        report("libsodium ChaCha20-Poly1305 open, 64 KiB", median(rounds, () -> rawOpen(new SodiumChaCha20Poly1305(key), bytes)), jdk);
        report("Noise channel (JDK) over MemoryPipe", median(rounds, () -> overPipe(JdkChaCha20Poly1305::new, bytes)), jdk);
        report("Noise channel (libsodium) over MemoryPipe", median(rounds, () -> overPipe(SodiumChaCha20Poly1305::new, bytes)), jdk);
        report("Noise channel (JDK) over loopback TCP", median(rounds, () -> overTcp(JdkChaCha20Poly1305::new, bytes)), jdk);
        report("Noise channel (libsodium) over loopback TCP",
                median(rounds, () -> overTcp(SodiumChaCha20Poly1305::new, bytes)), jdk);
        report("plain loopback TCP, no Noise", median(rounds, () -> plainTcp(bytes)), jdk);
    }

    @FunctionalInterface
    private interface Run {
        /** Moves {@code bytes} and returns them, so that rates can be computed around the call. */
        long transfer() throws Exception;
    }

    /** Wall-clock and CPU-time rates in MB/s, medians over the rounds. */
    private record Rate(double wall, double cpu) {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static Rate median(int rounds, Run run) throws Exception {
        run.transfer();
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long cpuStart = OS.getProcessCpuTime();
            long start = System.nanoTime();
            long bytes = run.transfer();
            wall[i] = bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
            cpu[i] = bytes / ((OS.getProcessCpuTime() - cpuStart) / 1e9) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Rate(wall[rounds / 2], cpu[rounds / 2]);
    }

    private static void report(String what, Rate rate, Rate jdk) {
        System.out.printf(Locale.ROOT, "%-44s %7.0f MB/s %5.0f%% | per CPU-second %7.0f MB %5.0f%%%n",
                what, rate.wall(), 100 * rate.wall() / jdk.wall(), rate.cpu(), 100 * rate.cpu() / jdk.cpu());
    }

    private static long rawSeal(Aead aead, long bytes) {
        byte[] in = new byte[BUFFER];
        byte[] out = new byte[BUFFER + Aead.TAG_BYTES];
        long n = 0;
        for (long done = 0; done < bytes; done += BUFFER) {
            setCounter(n++);
            aead.seal(NONCE, null, in, 0, BUFFER, out, 0);
        }
        return bytes;
    }

    private static long rawOpen(Aead aead, long bytes) throws Exception {
        byte[] plain = new byte[BUFFER];
        byte[] sealed = new byte[BUFFER + Aead.TAG_BYTES];
        setCounter(0);
        aead.seal(NONCE, null, plain, 0, BUFFER, sealed, 0);
        for (long done = 0; done < bytes; done += BUFFER) {
            aead.open(NONCE, null, sealed, 0, sealed.length, plain, 0);
        }
        return bytes;
    }

    private static void setCounter(long n) {
        for (int i = 0; i < 8; i++) {
            NONCE[4 + i] = (byte) (n >>> (8 * i));
        }
    }

    private static long overPipe(Aead.Factory aead, long bytes) throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair();
        try {
            return transfer(aead, pipe.initiator(), pipe.responder(), bytes);
        } finally {
            pipe.close();
        }
    }

    private static long overTcp(Aead.Factory aead, long bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket dialer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            return transfer(aead, new SocketDuplex(dialer), new SocketDuplex(accepted), bytes);
        }
    }

    private static long plainTcp(long bytes) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket dialer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            return pump(dialer.getOutputStream(), accepted.getInputStream(), bytes);
        }
    }

    private static long transfer(Aead.Factory aead, Duplex dialerRaw, Duplex listenerRaw, long bytes) throws Exception {
        NoiseTransport dialer = new NoiseTransport(Ed25519PrivateKey.generate(), aead);
        NoiseTransport listener = new NoiseTransport(Ed25519PrivateKey.generate(), aead);
        Duration timeout = Duration.ofSeconds(10);
        CompletableFuture<SecureChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.secureInbound(listenerRaw, List.of(), timeout);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        try (SecureChannel out = dialer.secureOutbound(dialerRaw, null, List.of(), timeout);
                SecureChannel in = accepted.get()) {
            return pump(out.out(), in.in(), bytes);
        }
    }

    /** Writes {@code bytes} in 64 KiB writes on this thread while a virtual thread reads them. */
    private static long pump(OutputStream out, InputStream in, long bytes) throws Exception {
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
            byte[] buf = new byte[BUFFER];
            long total = 0;
            try {
                while (total < bytes) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return total;
        }, r -> Thread.ofVirtual().start(r));
        byte[] data = new byte[BUFFER];
        for (long done = 0; done < bytes; done += BUFFER) {
            out.write(data, 0, BUFFER);
        }
        out.flush();
        long total = received.get();
        if (total != bytes) {
            throw new IllegalStateException("received " + total + " of " + bytes + " bytes");
        }
        return bytes;
    }

    /** A plain socket as a {@link Duplex}, enough for a benchmark. */
    private record SocketDuplex(Socket socket) implements Duplex {
        @Override
        public InputStream in() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public OutputStream out() {
            try {
                return socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a benchmark socket twice is harmless
            }
        }
    }
}
