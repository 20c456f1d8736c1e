package org.parley.libp2p.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.OpenSslChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;
import org.parley.libp2p.host.Host;

/**
 * {@code scripts/bench stream}: one Noise + yamux stream over loopback TCP, Java to Java, js-libp2p
 * to js-libp2p and across, next to the single-core ChaCha20-Poly1305 speed that bounds it; then the
 * time to open a connection and the memory of a host holding many. Prints one table with units
 * and what each figure measured; MB = 10^6 bytes.
 *
 * <p>Every Java receiver is a {@link BenchPeer} in a child JVM, so each transfer runs between two
 * processes as between two nodes. Transfers run in interleaved rounds (every pair once per round)
 * so that the noise of two shared cores spreads over all of them. A missing js-libp2p install
 * skips the js rows with the reason. Single threaded apart from the hosts' own threads.
 */
public final class StreamBench {

    /** Goals from issue 2 and docs/performance-anchors.md. */
    static final double GOAL_TIMES_JS = 3.0;
    static final double GOAL_SHARE_OF_CIPHER = 0.40;
    /** 40% of the JDK cipher anchor (1614 MB/s) in docs/performance-anchors.md. */
    static final double GOAL_MB_PER_SECOND = 650;

    /** Plenty for the JIT to compile the whole path; bounded so that a 1 GiB run does not double in time. */
    static final long MAX_WARMUP_BYTES = 256L << 20;
    /** A quarter of a second per run at the anchor speeds: long against timer and scheduling noise. */
    static final long CIPHER_BYTES_PER_RUN = 256L << 20;
    /** Enough calls for C2 to compile the loop and the FFM downcalls before anything is timed. */
    static final int CIPHER_WARMUP_RUNS = 3;
    /** Odd, so the median is one run; seven keeps the section within seconds. */
    static final int CIPHER_RUNS = 7;
    /** Connections opened and closed before timing: loads and compiles the handshake path. */
    static final int CONNECT_WARMUP = 100;

    private final StreamBenchOptions options;
    private final Map<String, TransferRounds.Result> throughput = new LinkedHashMap<>();
    private CipherBench.Result jdkSeal;
    /** Seal speed of the implementation Noise uses ({@link Aead#CHACHA20_POLY1305}), if measured. */
    private CipherBench.Result noiseCipherSeal;
    private String noiseCipher;
    private boolean failed;
    private double startLoad;

    private StreamBench(StreamBenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        StreamBenchOptions options;
        try {
            options = StreamBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scripts/bench stream: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamBench bench = new StreamBench(options);
        bench.run();
        System.exit(bench.failed ? 1 : 0);
    }

    private void run() {
        printHeader();
        if (options.sections().contains("cipher")) {
            section("cipher", this::cipher);
        }
        if (options.sections().contains("java") || options.sections().contains("js")) {
            section("throughput", () -> {
                throughput();
                System.out.println();
                printRatios();
            });
        }
        if (options.sections().contains("connect")) {
            section("connection setup", this::connectionSetup);
        }
        if (options.sections().contains("memory")) {
            section("memory", this::memory);
        }
        double endLoad = loadAverage();
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "load average (1 min): %.2f at the start, %.2f at the end, on %d CPUs%n", startLoad, endLoad,
                cpus);
        if (Math.max(startLoad, endLoad) > cpus) {
            System.out.println("  WARNING: other processes competed for the cores; the wall-clock figures above are lower than on a");
            System.out.println("  quiet machine (compare the CPU-bound column and the ratios, measured side by side).");
        }
    }

    /** The 1-minute load average from /proc/loadavg, or NaN if unknown. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The CPU's model name and whether it has AVX-512 (which the JDK's Poly1305 intrinsic needs). */
    private static String cpuModel() {
        try {
            List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            boolean avx512 = cpuinfo.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
            return model + (avx512 ? ", AVX-512" : ", no AVX-512");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    @FunctionalInterface
    private interface Section {
        void run() throws Exception;
    }

    private void section(String name, Section section) {
        try {
            section.run();
        } catch (Exception e) {
            failed = true;
            System.out.printf(Locale.ROOT, "  %s: FAILED: %s%n", name, e);
            e.printStackTrace(System.err);
        }
        System.out.println();
    }

    private void printHeader() {
        startLoad = loadAverage();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "Parley stream benchmark, %s%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        System.out.printf(Locale.ROOT, "  machine: %d CPUs (%s), JDK %s (%s), %s %s%n", rt.availableProcessors(),
                cpuModel(), Runtime.version(), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.version"));
        System.out.printf(Locale.ROOT, "  this JVM: %s; child JVMs: %s%n",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                String.join(" ", options.childJvm()));
        System.out.println("  MB = 10^6 bytes, MiB = 2^20 bytes; all traffic on 127.0.0.1");
        System.out.println();
    }

    // ---- 1. cipher

    private void cipher() throws Exception {
        System.out.printf(Locale.ROOT, "1. ChaCha20-Poly1305, one core, 64 KiB messages, %s per run: median (min-max) of %d runs after %d warm-up runs%n",
                ByteSize.format(CIPHER_BYTES_PER_RUN), CIPHER_RUNS, CIPHER_WARMUP_RUNS);
        CipherBench jdk = new CipherBench(JdkChaCha20Poly1305::new, CIPHER_BYTES_PER_RUN, CIPHER_WARMUP_RUNS, CIPHER_RUNS);
        System.out.printf(Locale.ROOT, "  %-50s %10s  %-11s  %s%n", "", "median", "min-max", "per CPU second (median)");
        noiseCipher = Aead.CHACHA20_POLY1305.create(new byte[Aead.KEY_BYTES]).getClass().getSimpleName();
        jdkSeal = jdk.seal();
        printRate("JDK javax.crypto (SunJCE) seal: encrypt + tag", jdkSeal);
        printRate("JDK javax.crypto (SunJCE) open: verify + decrypt", jdk.open());
        if (noiseCipher.equals(JdkChaCha20Poly1305.class.getSimpleName())) {
            noiseCipherSeal = jdkSeal;
        }
        try {
            CipherBench sodium = new CipherBench(SodiumChaCha20Poly1305::new, CIPHER_BYTES_PER_RUN, CIPHER_WARMUP_RUNS,
                    CIPHER_RUNS);
            CipherBench.Result sodiumSeal = sodium.seal();
            printRate("libsodium (SodiumChaCha20Poly1305, FFM) seal", sodiumSeal);
            printRate("libsodium (SodiumChaCha20Poly1305, FFM) open", sodium.open());
            if (noiseCipher.equals(SodiumChaCha20Poly1305.class.getSimpleName())) {
                noiseCipherSeal = sodiumSeal;
            }
        } catch (RuntimeException | LinkageError e) {
            System.out.printf(Locale.ROOT, "  libsodium: skipped: %s%n", e);
        }
        if (OpenSslChaCha20Poly1305.isAvailable()) {
            CipherBench openSsl = new CipherBench(OpenSslChaCha20Poly1305::new, CIPHER_BYTES_PER_RUN, CIPHER_WARMUP_RUNS,
                    CIPHER_RUNS);
            printRate("OpenSSL 3 libcrypto EVP (OpenSslChaCha20Poly1305, FFM) seal", openSsl.seal());
            printRate("OpenSSL 3 libcrypto EVP (OpenSslChaCha20Poly1305, FFM) open", openSsl.open());
        } else {
            System.out.println("  OpenSSL libcrypto: skipped: libcrypto.so.3 cannot be called through FFM here");
        }
        System.out.printf(Locale.ROOT, "  Noise transport frames use %s (Aead.CHACHA20_POLY1305)%n", noiseCipher);
    }

    private static void printRate(String what, CipherBench.Result r) {
        System.out.printf(Locale.ROOT, "  %-50s %5.0f MB/s  %5.0f-%-5.0f  %5.0f MB/CPU-s%n", what, r.wall().median(),
                r.wall().min(), r.wall().max(), r.cpu().median());
    }

    // ---- 2. throughput

    private void throughput() throws Exception {
        long bytes = options.bytes();
        long warmupBytes = Math.min(bytes, MAX_WARMUP_BYTES);
        System.out.printf(Locale.ROOT, "2. One stream over loopback TCP, %s (%d bytes) per transfer; %d rounds after one warm-up round of %s;%n",
                ByteSize.format(bytes), bytes, options.runs(), ByteSize.format(warmupBytes));
        System.out.println("   each round runs every pair once, interleaved. Wall time: sender's first write until it has the sink's");
        System.out.println("   8-byte count (sent after the sender's end-of-stream). Java writes 256 KiB, js (peer.mjs) 64 KiB per write.");
        System.out.println("   CPU snd rcv: user+system CPU seconds of the whole sender / sink process per GB (10^9 bytes), median; 'CPU-bound' =");
        System.out.println("   1000 / the larger of the two: about the MB/s if each side had the cores it wants (fairer on a loaded box;");
        System.out.println("   a side that waits a lot pays more per byte for wake-ups, so it is an estimate). 'TCP + Noise, no yamux' and");
        System.out.println("   'TCP only' dial a fresh connection per transfer (handshake not timed); 'Noise(OpenSSL)' is the Host's upgrade");
        System.out.println("   rebuilt from the public pieces (no identify) with both sides' Noise cipher from OpenSSL libcrypto via FFM.");
        List<TransferRounds.Pair> pairs = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            BenchPeerProcess child = BenchPeerProcess.start(options.childJvm(), List.of());
            resources.addFirst(child);
            Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build();
            resources.addFirst(host);
            host.start();
            TransferPairs builder = new TransferPairs(host, child, resources);
            if (options.sections().contains("java")) {
                pairs.addAll(builder.java(options.layerRows()));
            }
            if (options.sections().contains("js")) {
                pairs.addAll(builder.js());
            }
            List<TransferRounds.Result> results = TransferRounds.run(pairs, bytes, warmupBytes, options.runs());
            System.out.printf(Locale.ROOT, "  %-11s %-28s %-30s %9s  %-10s  %-11s  %s%n", "sender→sink", "layers",
                    "processes", "median", "min-max", "CPU snd rcv", "CPU-bound");
            for (TransferRounds.Result r : results) {
                TransferRounds.Pair pair = r.pair();
                if (pair.key() != null) {
                    throughput.put(pair.key(), r);
                }
                System.out.printf(Locale.ROOT, "  %-11s %-28s %-30s %4.0f MB/s  %4.0f-%-5.0f  %5.2f %5.2f  %4.0f MB/s%n",
                        pair.label(), pair.layers(), pair.processes(), r.mbPerSecond().median(), r.mbPerSecond().min(),
                        r.mbPerSecond().max(), r.senderCpuPerGb().median(), r.receiverCpuPerGb().median(),
                        r.cpuBoundMbPerSecond());
            }
        } finally {
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        }
    }

    private void printRatios() {
        TransferRounds.Result javaJava = throughput.get(TransferPairs.JAVA_JAVA);
        TransferRounds.Result jsJs = throughput.get(TransferPairs.JS_JS);
        if (javaJava == null) {
            return;
        }
        double wall = javaJava.mbPerSecond().median();
        double cpu = javaJava.cpuBoundMbPerSecond();
        System.out.println("3. Goals (issue 2) from the medians above: by the wall clock (what the goal means), and CPU-bound");
        System.out.println("   (both sides' MB per CPU-second: what the code costs, whatever else the machine ran)");
        System.out.printf(Locale.ROOT, "  %-46s %-18s %-18s %s%n", "", "wall clock", "CPU-bound", "goal");
        if (jsJs != null) {
            double w = wall / jsJs.mbPerSecond().median();
            double c = cpu / jsJs.cpuBoundMbPerSecond();
            System.out.printf(Locale.ROOT, "  %-46s %5.1f× %-11s %5.1f× %-11s ≥ %.0f×%n", "Java→Java / js→js", w,
                    verdict(w >= GOAL_TIMES_JS), c, verdict(c >= GOAL_TIMES_JS), GOAL_TIMES_JS);
        } else {
            System.out.printf(Locale.ROOT, "  %-46s %s%n", "Java→Java / js→js", "n/a (no js → js figure in this run)");
        }
        if (jdkSeal != null) {
            double w = wall / jdkSeal.wall().median();
            double c = cpu / jdkSeal.cpu().median();
            System.out.printf(Locale.ROOT, "  %-46s %5.0f%% %-11s %5.0f%% %-11s ≥ %.0f%%%n", "Java→Java / JDK ChaCha20-Poly1305 seal", 100 * w,
                    verdict(w >= GOAL_SHARE_OF_CIPHER), 100 * c, verdict(c >= GOAL_SHARE_OF_CIPHER), 100 * GOAL_SHARE_OF_CIPHER);
        }
        if (noiseCipherSeal != null && noiseCipherSeal != jdkSeal) {
            System.out.printf(Locale.ROOT, "  %-46s %5.0f%% %-11s %5.0f%% %-11s %s%n", "Java→Java / " + noiseCipher + " seal",
                    100 * wall / noiseCipherSeal.wall().median(), "", 100 * cpu / noiseCipherSeal.cpu().median(), "",
                    "(what Noise uses: the real ceiling here)");
        }
        System.out.printf(Locale.ROOT, "  %-46s %5.0f MB/s %-6s %5.0f MB/s %-6s ≥ %.0f MB/s%n", "Java→Java", wall,
                verdict(wall >= GOAL_MB_PER_SECOND), cpu, verdict(cpu >= GOAL_MB_PER_SECOND), GOAL_MB_PER_SECOND);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    // ---- 4. connection setup

    private void connectionSetup() throws Exception {
        int n = options.connections();
        System.out.printf(Locale.ROOT, "4. Connection setup: %d connections per row, one after the other, each closed before the next,%n", n);
        System.out.printf(Locale.ROOT, "   after %d warm-up connections; dialer in this JVM, listener = the Host in a child JVM%n", CONNECT_WARMUP);
        try (BenchPeerProcess child = BenchPeerProcess.start(options.childJvm(), List.of())) {
            ConnectionSetupBench bench = new ConnectionSetupBench(child.hostAddress(), CONNECT_WARMUP, n);
            System.out.printf(Locale.ROOT, "  %-76s %8s %8s %8s %8s%n", "what is timed", "median", "p90", "p99", "max");
            printMillis("TCP connect only (for scale)", bench.tcpOnly());
            printMillis("TCP + multistream /noise + Noise XX (yamux agreed inside it) + yamux session", bench.upgradeOnly());
            System.out.println("    (the row above ends when the dialer could open its first stream; identify not included)");
            printMillis("Host.connect: the above + the listener admits it + identify answered", bench.hostConnect());
        }
    }

    private static void printMillis(String what, Samples nanos) {
        System.out.printf(Locale.ROOT, "  %-76s %5.2f ms %5.2f ms %5.2f ms %5.1f ms%n", what, nanos.median() / 1e6,
                nanos.percentile(90) / 1e6, nanos.percentile(99) / 1e6, nanos.max() / 1e6);
    }

    // ---- 5. memory

    private void memory() throws Exception {
        int hold = options.hold();
        int maxConnections = hold + ConnectionMemoryBench.LIMIT_HEADROOM;
        System.out.printf(Locale.ROOT, "5. Memory of one Host holding %d connections: the Host in a fresh child JVM (%s, maxConnections raised%n",
                hold, String.join(" ", options.childJvm()));
        System.out.printf(Locale.ROOT, "   to %d, other limits default); %d client Hosts in this JVM, each its own identity and one connection%n",
                maxConnections, hold);
        System.out.printf(Locale.ROOT, "   (dialed %d at a time; each connect returns after identify). Baseline after %d connections opened and closed.%n",
                ConnectionMemoryBench.PARALLEL_DIALS, ConnectionMemoryBench.WARMUP_CONNECTIONS);
        try (BenchPeerProcess child = BenchPeerProcess.start(options.childJvm(),
                List.of("--max-connections", Integer.toString(maxConnections)))) {
            ConnectionMemoryBench.Result r = new ConnectionMemoryBench(child, hold).run();
            System.out.println("   RSS is read from /proc/<pid>/status without forcing a GC; the live heap after System.gc() in the child.");
            System.out.printf(Locale.ROOT, "  %-58s %9.1f MiB%n", "child RSS (VmRSS), no connections", mib(r.rssBefore()));
            System.out.printf(Locale.ROOT, "  %-58s %9.1f MiB%n", "child RSS (VmRSS), " + hold + " connections", mib(r.rssAfter()));
            System.out.printf(Locale.ROOT, "  %-58s %9.1f KiB%n", "RSS increase per connection", r.rssPerConnection() / 1024);
            System.out.printf(Locale.ROOT, "  %-58s %9.1f MiB -> %.1f MiB%n", "child Java heap live after a full GC: none -> " + hold,
                    mib(r.heapBefore()), mib(r.heapAfter()));
            System.out.printf(Locale.ROOT, "  %-58s %9.1f KiB%n", "live heap per connection", r.heapPerConnection() / 1024);
            System.out.printf(Locale.ROOT, "  %-58s %9.1f s%n", "time to open the " + hold + " connections", r.openTime().toMillis() / 1e3);
        }
    }

    private static double mib(long bytes) {
        return bytes / (double) (1L << 20);
    }
}
