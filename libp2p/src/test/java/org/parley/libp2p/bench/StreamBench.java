package org.parley.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;

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

    static final String USAGE = """
            usage: scripts/bench stream [--bytes SIZE] [--runs N] [--connections N] [--hold N]
                                        [--only SECTIONS] [--child-java-option OPTION]...
              --bytes SIZE     bytes per transfer, e.g. 1GiB (default), 256MiB
              --runs N         measured transfers per pair, after one warm-up round (default 3)
              --connections N  connections opened one after the other per setup figure (default 1000)
              --hold N         connections held for the memory figure (default 500)
              --only LIST      comma-separated subset of: cipher,java,js,connect,memory (default all)
              --child-java-option OPTION  extra JVM option for the child JVMs (repeatable), e.g. a JFR recording
              --no-layer-rows  leave out the Java rows without yamux and without Noise (for profiling one path)
            """;

    /** Goals from issue 2 and docs/performance-anchors.md. */
    static final double GOAL_TIMES_JS = 3.0;
    static final double GOAL_SHARE_OF_CIPHER = 0.40;
    /** 40% of the JDK cipher anchor (1614 MB/s) in docs/performance-anchors.md. */
    static final double GOAL_MB_PER_SECOND = 650;

    /** Plenty for the JIT to compile the whole path; bounded so that a 1 GiB run does not double in time. */
    static final long MAX_WARMUP_BYTES = 256L << 20;
    static final long CIPHER_BYTES_PER_RUN = 256L << 20;
    static final int CIPHER_WARMUP_RUNS = 3;
    static final int CIPHER_RUNS = 7;
    static final int CONNECT_WARMUP = 100;
    /** The child's heap: what a desktop node would get; the memory figure is read against it. */
    static final String CHILD_HEAP = "-Xmx1g";
    /** js answers a 1 GiB bench-send in seconds; this only catches a hung peer. */
    static final Duration JS_COMMAND_TIMEOUT = Duration.ofMinutes(10);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> SECTIONS = Set.of("cipher", "java", "js", "connect", "memory");

    private record Options(long bytes, int runs, int connections, int hold, Set<String> sections,
            List<String> childJavaOptions, boolean layerRows) {

        static Options parse(String[] args) {
            long bytes = 1L << 30;
            int runs = 3;
            int connections = 1000;
            int hold = 500;
            Set<String> sections = new LinkedHashSet<>(List.of("cipher", "java", "js", "connect", "memory"));
            List<String> childOptions = new ArrayList<>();
            boolean layerRows = true;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                if (arg.equals("--no-layer-rows")) {
                    layerRows = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--bytes" -> bytes = ByteSize.parse(value);
                    case "--runs" -> runs = positive(arg, value);
                    case "--connections" -> connections = positive(arg, value);
                    case "--hold" -> hold = positive(arg, value);
                    case "--only" -> {
                        sections = new LinkedHashSet<>(List.of(value.split(",")));
                        if (!SECTIONS.containsAll(sections)) {
                            throw new IllegalArgumentException("--only takes some of " + SECTIONS + ", got '" + value + "'");
                        }
                    }
                    case "--child-java-option" -> childOptions.add(value);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
                }
            }
            return new Options(bytes, runs, connections, hold, sections, List.copyOf(childOptions), layerRows);
        }

        private static int positive(String option, String value) {
            int n = Integer.parseInt(value);
            if (n <= 0) {
                throw new IllegalArgumentException(option + " must be positive, got " + value);
            }
            return n;
        }

        List<String> childJvm() {
            List<String> all = new ArrayList<>(List.of(CHILD_HEAP));
            all.addAll(childJavaOptions);
            return all;
        }
    }

    private final Options options;
    private final Map<String, TransferRounds.Result> throughput = new LinkedHashMap<>();
    private CipherBench.Result jdkSeal;
    /** Seal speed of the implementation Noise uses ({@link Aead#CHACHA20_POLY1305}), if measured. */
    private CipherBench.Result noiseCipherSeal;
    private String noiseCipher;
    private boolean failed;
    private String startLoad;

    private StreamBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
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
        System.out.printf(Locale.ROOT, "load average (1 min) at the end: %s; at the start: %s (%d CPUs). Above the CPU count,%n",
                loadAverage(), startLoad, Runtime.getRuntime().availableProcessors());
        System.out.println("other processes competed for the cores and every figure above is lower than on a quiet machine.");
    }

    /** The 1-minute load average from /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
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
        System.out.printf(Locale.ROOT, "  machine: %d CPUs, JDK %s (%s), %s %s%n", rt.availableProcessors(),
                Runtime.version(), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.version"));
        System.out.printf(Locale.ROOT, "  this JVM: %s; child JVMs: %s%n",
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
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
            crossCheck();
            CipherBench openSsl = new CipherBench(OpenSslChaCha20Poly1305::new, CIPHER_BYTES_PER_RUN, CIPHER_WARMUP_RUNS,
                    CIPHER_RUNS);
            printRate("OpenSSL 3 libcrypto EVP (FFM, bench-only) seal", openSsl.seal());
            printRate("OpenSSL 3 libcrypto EVP (FFM, bench-only) open", openSsl.open());
        } else {
            System.out.printf(Locale.ROOT, "  OpenSSL libcrypto: skipped: %s%n", OpenSslChaCha20Poly1305.UNAVAILABLE_REASON);
        }
        System.out.printf(Locale.ROOT, "  Noise transport frames use %s (Aead.CHACHA20_POLY1305)%n", noiseCipher);
    }

    /** Proves the bench-only OpenSSL binding computes the same AEAD as the JDK, both ways. */
    private static void crossCheck() throws Exception {
        byte[] key = new byte[Aead.KEY_BYTES];
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        byte[] plain = new byte[1000];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(key);
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(nonce);
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(plain);
        byte[] ad = {1, 2, 3};
        byte[] byOpenSsl = new byte[plain.length + Aead.TAG_BYTES];
        byte[] byJdk = new byte[plain.length + Aead.TAG_BYTES];
        new OpenSslChaCha20Poly1305(key).seal(nonce, ad, plain, 0, plain.length, byOpenSsl, 0);
        new JdkChaCha20Poly1305(key).seal(nonce, ad, plain, 0, plain.length, byJdk, 0);
        byte[] opened = new byte[plain.length];
        new OpenSslChaCha20Poly1305(key).open(nonce, ad, byJdk, 0, byJdk.length, opened, 0);
        if (!java.util.Arrays.equals(byOpenSsl, byJdk) || !java.util.Arrays.equals(opened, plain)) {
            throw new IllegalStateException("the OpenSSL binding disagrees with the JDK's ChaCha20-Poly1305");
        }
    }

    private static void printRate(String what, CipherBench.Result r) {
        System.out.printf(Locale.ROOT, "  %-50s %5.0f MB/s  %5.0f-%-5.0f  %5.0f MB/CPU-s%n", what, r.wall().median(),
                r.wall().min(), r.wall().max(), r.cpu().median());
    }

    // ---- 2. throughput

    static final String JAVA_JAVA = "java-java";
    static final String JS_JS = "js-js";

    private void throughput() throws Exception {
        long bytes = options.bytes();
        long warmupBytes = Math.min(bytes, MAX_WARMUP_BYTES);
        System.out.printf(Locale.ROOT, "2. One stream over loopback TCP, %s (%d bytes) per transfer; %d rounds after one warm-up round of %s;%n",
                ByteSize.format(bytes), bytes, options.runs(), ByteSize.format(warmupBytes));
        System.out.println("   each round runs every pair once, interleaved. Wall time: sender's first write until it has the sink's");
        System.out.println("   8-byte count (sent after the sender's end-of-stream). Java writes 256 KiB, js (peer.mjs) 64 KiB per write.");
        System.out.println("   CPU: user+system seconds of the whole sender / sink process per GB (10^9 bytes), median; 'CPU-bound' =");
        System.out.println("   1000 / the larger of the two: the MB/s if each side had the cores it wants (the fair figure on a loaded box).");
        List<TransferRounds.Pair> pairs = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            BenchPeerProcess child = BenchPeerProcess.start(options.childJvm(), List.of());
            resources.addFirst(child);
            Host host = Host.builder().identity(Ed25519PrivateKey.generate()).build();
            resources.addFirst(host);
            host.start();
            if (options.sections().contains("java")) {
                addJavaPairs(pairs, resources, host, child);
            }
            if (options.sections().contains("js")) {
                addJsPairs(pairs, resources, host, child);
            }
            List<TransferRounds.Result> results = TransferRounds.run(pairs, bytes, warmupBytes, options.runs());
            System.out.printf(Locale.ROOT, "  %-11s %-26s %-28s %8s %9s   %-17s %s%n", "sender→sink", "layers", "processes",
                    "median", "min-max", "CPU s/GB snd rcv", "CPU-bound");
            for (TransferRounds.Result r : results) {
                TransferRounds.Pair pair = r.pair();
                if (pair.key() != null) {
                    throughput.put(pair.key(), r);
                }
                System.out.printf(Locale.ROOT, "  %-11s %-26s %-28s %3.0f MB/s %4.0f-%-4.0f   %6.2f  %6.2f    %4.0f MB/s%n",
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

    private void addJavaPairs(List<TransferRounds.Pair> pairs, List<AutoCloseable> closeLater, Host host,
            BenchPeerProcess child) throws IOException {
        long self = ProcessHandle.current().pid();
        host.connect(child.hostAddress());
        pairs.add(new TransferRounds.Pair(JAVA_JAVA, "Java → Java", "TCP + Noise + yamux (Host)", "this JVM → child JVM",
                self, child.pid(), bytes -> {
                    Stream stream = host.newStream(child.peerId(), SinkProtocol.PROTOCOL_ID);
                    try (stream) {
                        return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                    }
                }));
        if (!options.layerRows()) {
            return;
        }
        if (child.openSslSinkAddress() != null) {
            HandBuiltUpgrade openSsl = new HandBuiltUpgrade(Ed25519PrivateKey.generate(), OpenSslChaCha20Poly1305::new);
            MuxedSession session = openSsl.dial(child.openSslSinkAddress());
            closeLater.add(session::close);
            pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP + Noise(OpenSSL) + yamux", "this JVM → child JVM",
                    self, child.pid(), bytes -> {
                        try (MuxedStream stream = session.openStream()) {
                            MultistreamSelect.select(stream, List.of(SinkProtocol.PROTOCOL_ID));
                            return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                        }
                    }));
        }
        TcpTransport tcp = new TcpTransport();
        NoiseTransport noise = new NoiseTransport(Ed25519PrivateKey.generate());
        pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP + Noise, no yamux", "this JVM → child JVM", self,
                child.pid(), bytes -> {
                    TcpConnection raw = tcp.dial(child.noiseSinkAddress(), Duration.ofSeconds(5));
                    try (SecureChannel channel = noise.secureOutbound(raw, child.peerId(), List.of(), HANDSHAKE_TIMEOUT)) {
                        return SinkProtocol.send(channel.out(), channel.out()::close, channel.in(), bytes);
                    } finally {
                        raw.close();
                    }
                }));
        pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP only (TcpConnection)", "this JVM → child JVM", self,
                child.pid(), bytes -> {
                    try (TcpConnection raw = tcp.dial(child.tcpSinkAddress(), Duration.ofSeconds(5))) {
                        return SinkProtocol.send(raw.out(), raw.out()::close, raw.in(), bytes);
                    }
                }));
    }

    private void addJsPairs(List<TransferRounds.Pair> pairs, List<AutoCloseable> resources, Host host,
            BenchPeerProcess child) {
        JsPeer sender;
        JsPeer sink;
        long senderPid;
        long sinkPid;
        try {
            Set<Long> before = childPids();
            sender = JsPeer.builder().name("bench-sender").commandTimeout(JS_COMMAND_TIMEOUT).start();
            resources.addFirst(sender);
            senderPid = newChildPid(before);
            before = childPids();
            sink = JsPeer.builder().name("bench-sink").commandTimeout(JS_COMMAND_TIMEOUT).start();
            resources.addFirst(sink);
            sinkPid = newChildPid(before);
            sender.dial(sink.addr());
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "  js-libp2p: skipped: %s%n", e.getMessage());
            return;
        }
        long self = ProcessHandle.current().pid();
        String js = "js-libp2p " + JsPeer.LIBP2P_VERSION;
        pairs.add(new TransferRounds.Pair(JS_JS, "js → js", "TCP + Noise + yamux", "node → node (" + js + ")",
                senderPid, sinkPid, bytes -> jsSend(sender, sink.peerId().toString(), bytes)));
        try {
            host.connect(sink.addr());
            pairs.add(new TransferRounds.Pair(null, "Java → js", "TCP + Noise + yamux", "this JVM → node", self, sinkPid,
                    bytes -> {
                        Stream stream = host.newStream(sink.peerId(), SinkProtocol.PROTOCOL_ID);
                        try (stream) {
                            return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                        }
                    }));
        } catch (IOException | RuntimeException e) {
            System.out.printf(Locale.ROOT, "  Java → js: skipped: %s%n", e);
        }
        try {
            sender.dial(child.hostAddress());
            pairs.add(new TransferRounds.Pair(null, "js → Java", "TCP + Noise + yamux", "node → child JVM", senderPid,
                    child.pid(), bytes -> jsSend(sender, child.peerId().toString(), bytes)));
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "  js → Java: skipped: %s%n", e.getMessage());
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The pid of the one child started since {@code before}, or 0 if that is not clear (no CPU figures then). */
    private static long newChildPid(Set<Long> before) {
        List<Long> fresh = ProcessHandle.current().children().map(ProcessHandle::pid).filter(p -> !before.contains(p)).toList();
        return fresh.size() == 1 ? fresh.getFirst() : 0;
    }

    private static long jsSend(JsPeer sender, String peer, long bytes) {
        JsonNode result = sender.command("bench-send", Map.of("peer", peer, "bytes", bytes));
        if (result.path("bytes").asLong() != bytes) {
            throw new IllegalStateException("js bench-send reported " + result + "; expected " + bytes + " bytes");
        }
        return Math.round(result.path("ms").asDouble() * 1e6);
    }

    private void printRatios() {
        TransferRounds.Result javaJava = throughput.get(JAVA_JAVA);
        TransferRounds.Result jsJs = throughput.get(JS_JS);
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
            System.out.printf(Locale.ROOT, "  %-70s %8s %8s %8s %8s%n", "what is timed", "median", "p90", "p99", "max");
            printMillis("TCP connect only (for scale)", bench.tcpOnly());
            printMillis("TCP + multistream /noise + Noise XX (yamux agreed in it) + yamux session:", bench.upgradeOnly());
            System.out.println("    the dialer could open its first stream now; identify not included");
            printMillis("Host.connect: the above + the listener admits it + identify answered", bench.hostConnect());
        }
    }

    private static void printMillis(String what, Samples nanos) {
        System.out.printf(Locale.ROOT, "  %-70s %5.2f ms %5.2f ms %5.2f ms %5.1f ms%n", what, nanos.median() / 1e6,
                nanos.percentile(90) / 1e6, nanos.percentile(99) / 1e6, nanos.max() / 1e6);
    }

    // ---- 5. memory

    private void memory() throws Exception {
        int hold = options.hold();
        int maxConnections = hold + ConnectionMemoryBench.WARMUP_CONNECTIONS + 64;
        System.out.printf(Locale.ROOT, "5. Memory of one Host holding %d connections: the Host in a fresh child JVM (%s, maxConnections raised%n",
                hold, String.join(" ", options.childJvm()));
        System.out.printf(Locale.ROOT, "   to %d, other limits default); %d client Hosts in this JVM, each its own identity and one connection%n",
                maxConnections, hold);
        System.out.printf(Locale.ROOT, "   (dialed %d at a time; each connect returns after identify). Baseline after %d connections opened and closed.%n",
                ConnectionMemoryBench.PARALLEL_DIALS, ConnectionMemoryBench.WARMUP_CONNECTIONS);
        try (BenchPeerProcess child = BenchPeerProcess.start(options.childJvm(),
                List.of("--max-connections", Integer.toString(maxConnections)))) {
            ConnectionMemoryBench.Result r = new ConnectionMemoryBench(child, hold).run();
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
