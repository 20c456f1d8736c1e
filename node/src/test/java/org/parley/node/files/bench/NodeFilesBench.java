package org.parley.node.files.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.files.link.FileLink;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.Main;
import org.parley.node.NodeSettings;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.parley.node.ParleyNode;
import org.parley.node.testing.CliRun;

/**
 * {@code scripts/bench files [MiB]}: one file (1 GiB by default) over loopback between whole nodes,
 * Parley against WebTorrent in the same run, then Parley from three seeders to one leecher. Parley:
 * nodes in this JVM, {@code share} on one and {@code get --wait} on another, timed from the get to
 * the file in place; the two extra seeders first fetch the file from the first, so all three serve
 * the same file id. WebTorrent ({@code scripts/interop/webtorrent-bench.mjs}): a seeding and a
 * fetching Node.js process with DHT, trackers, LSD, uTP and PEX off and the seeder added by hand on
 * 127.0.0.1, timed from the add to done. Prints MB/s for each and the ratios.
 *
 * <p>{@code scripts/bench files --rss [MiB]} (10 GiB by default): one seeder in this JVM shares a
 * sparse file (its reads cost no disk), and the leecher is a node in a child JVM with the
 * options of {@link #LEECHER_JVM}; prints the leecher's peak RSS (VmHWM of its process) after the file
 * is in place. The file written needs that much free disk; the bench checks first.
 */
public final class NodeFilesBench {

    private static final int DEFAULT_MIB = 1024;
    private static final int DEFAULT_RSS_MIB = 10 * 1024;
    /**
     * The leecher's JVM in the RSS run. The goal is 256 MB of RSS; a node's JVM has about 90 MB
     * besides the heap (metaspace 30 MB, code cache, libsignal and SQLite, thread stacks), and with
     * 128 MB of G1 heap it peaked at 280 MB. A download needs a few chunk buffers (4 MiB chunks for
     * 10 GiB), so 96 MB of heap is plenty; the serial collector has far less bookkeeping than G1
     * for a heap that small, and two malloc arenas keep glibc from reserving one per thread.
     */
    static final List<String> LEECHER_JVM = List.of("-Xmx96m", "-XX:+UseSerialGC");
    private static final Path INTEROP = Path.of("scripts", "interop");
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private NodeFilesBench() {}

    public static void main(String[] args) throws Exception {
        boolean rss = args.length > 0 && args[0].equals("--rss");
        String[] rest = rss ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        int mib = rest.length > 0 ? Integer.parseInt(rest[0]) : rss ? DEFAULT_RSS_MIB : DEFAULT_MIB;
        long bytes = (long) mib << 20;
        Path dir = Files.createTempDirectory("parley-files-bench");
        try {
            if (rss) {
                rss(dir, bytes, mib);
            } else {
                speed(dir, bytes, mib);
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void speed(Path dir, long bytes, int mib) throws Exception {
        Path file = randomFile(dir.resolve("bench.bin"), bytes);
        System.out.printf(Locale.ROOT, "file: %d MiB over loopback%n", mib);
        double[] parley = parley(dir, file, bytes);
        WebTorrentRun webtorrent = webTorrent(dir, file, bytes);
        double gib = bytes / (double) (1L << 30);
        System.out.printf(Locale.ROOT, "webtorrent 1 -> 1: %.2f CPU s for seeder and leecher together, %.2f CPU s per GiB%n",
                webtorrent.cpuSeconds(), webtorrent.cpuSeconds() / gib);
        TransferFloor.Figures floor = TransferFloor.measure(file, dir);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "floor of a 1 -> 1 transfer with Parley's layers on this CPU: %s%n", floor.describe());
        System.out.printf(Locale.ROOT, "floor on %d cores: at most %.1f MB/s, %.2f x WebTorrent's rate in this run%n",
                cores, floor.ceilingMbps(cores), floor.ceilingMbps(cores) / webtorrent.mbps());
        System.out.printf(Locale.ROOT, "parley 1 -> 1:     %8.1f MB/s%n", parley[0]);
        System.out.printf(Locale.ROOT, "webtorrent 1 -> 1: %8.1f MB/s%n", webtorrent.mbps());
        System.out.printf(Locale.ROOT, "parley 3 -> 1:     %8.1f MB/s%n", parley[1]);
        System.out.printf(Locale.ROOT, "ratio parley/webtorrent: %.2f (goal >= 3)%n", parley[0] / webtorrent.mbps());
        System.out.printf(Locale.ROOT, "ratio parley 3 -> 1 / 1 -> 1: %.2f (goal >= 1)%n", parley[1] / parley[0]);
    }

    /** WebTorrent's 1 → 1 rate, and the CPU its two processes spent on it. */
    private record WebTorrentRun(double mbps, double cpuSeconds) {}

    /** MB/s from one seeder, then from three. */
    private static double[] parley(Path dir, Path file, long bytes) throws Exception {
        List<ParleyNode> nodes = new ArrayList<>();
        try {
            ParleyNode seeder = start(dir, "seeder", List.of(), nodes);
            long shareStart = System.nanoTime();
            String link = CliRun.json(dataDir(seeder), "share", file.toString()).get("link").asText();
            System.out.printf(Locale.ROOT, "parley share (encrypt + hash): %.2f s%n", (System.nanoTime() - shareStart) / 1e9);
            List<Multiaddr> bootstrap = List.of(seeder.dialableAddresses().getFirst());
            ParleyNode leecher = start(dir, "leecher", bootstrap, nodes);
            double one = get(leecher, link, Files.createDirectories(dir.resolve("parley-out-1")), bytes, file, "1 -> 1");

            // Two more seeders of the same file id: each fetches it once from the first.
            List<Multiaddr> hints = new ArrayList<>(seeder.dialableAddresses());
            for (String name : List.of("seeder2", "seeder3")) {
                ParleyNode more = start(dir, name, bootstrap, nodes);
                CliRun got = CliRun.run(dataDir(more), "get", link, "--out",
                        Files.createDirectories(dir.resolve(name + "-files")).toString(), "--wait");
                if (got.exit() != 0) {
                    throw new IllegalStateException(name + " could not fetch the file: " + got.err());
                }
                hints.addAll(more.dialableAddresses());
            }
            FileLink first = FileLink.parse(link);
            String three = new FileLink(first.fileId(), first.name(), first.size(), hints, first.key()).toUri();
            ParleyNode fresh = start(dir, "leecher3", bootstrap, nodes);
            double fromThree = get(fresh, three, Files.createDirectories(dir.resolve("parley-out-3")), bytes, file, "3 -> 1");
            return new double[] {one, fromThree};
        } finally {
            for (ParleyNode node : nodes.reversed()) {
                node.close();
            }
        }
    }

    private static ParleyNode start(Path dir, String name, List<Multiaddr> bootstrap, List<ParleyNode> nodes) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir.resolve(name)), List.of(LOOPBACK), bootstrap, 0,
                ModePolicy.SERVER));
        nodes.add(node);
        return node;
    }

    private static Path dataDir(ParleyNode node) {
        return node.settings().dataDir().root();
    }

    /** Runs {@code get --wait} on {@code leecher} and returns MB/s. */
    private static double get(ParleyNode leecher, String link, Path out, long bytes, Path file, String what) throws Exception {
        AtomicLong allPieces = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start;
        long cpuStart;
        CliRun got;
        try (EventSubscription ignored = leecher.events().subscribe("bench", event -> {
            if (event instanceof NodeEvent.TransferProgress p && p.piecesDone() == p.piecesTotal() && p.piecesTotal() > 0) {
                allPieces.compareAndSet(0, System.nanoTime());
            } else if (event instanceof NodeEvent.TransferState s && s.state().equals("done")) {
                done.compareAndSet(0, System.nanoTime());
            }
        })) {
            cpuStart = TransferFloor.processCpuNanos();
            start = System.nanoTime();
            got = CliRun.run(dataDir(leecher), "get", link, "--out", out.toString(), "--wait");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (TransferFloor.processCpuNanos() - cpuStart) / 1e9;
        System.out.printf(Locale.ROOT, "parley get %s: %.2f s to the last verified piece, %.2f s more to put the file"
                + " into place, %.2f s in all (until get --wait returned)%n", what, (allPieces.get() - start) / 1e9,
                (done.get() - allPieces.get()) / 1e9, seconds);
        // CPU time does not depend on what else the machine runs, unlike the rate.
        System.out.printf(Locale.ROOT, "parley get %s: %.2f CPU s for seeders and leecher together, %.2f CPU s per GiB%n",
                what, cpuSeconds, cpuSeconds / (bytes / (double) (1L << 30)));
        if (got.exit() != 0 || Files.size(out.resolve(file.getFileName())) != bytes) {
            throw new IllegalStateException("the Parley download failed: " + got.err());
        }
        return bytes / 1e6 / seconds;
    }

    private static void rss(Path dir, long bytes, int mib) throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < bytes + (1L << 30)) {
            throw new IllegalStateException("the leecher writes " + mib + " MiB but " + dir + " has " + (usable >> 20)
                    + " MiB free; give a smaller size: scripts/bench files --rss MiB");
        }
        Path file = dir.resolve("sparse.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(bytes);
        }
        System.out.printf(Locale.ROOT, "file: %d MiB (sparse), one seeder -> one leecher in a child JVM (%s, MALLOC_ARENA_MAX=2)%n", mib,
                String.join(" ", LEECHER_JVM));
        List<ParleyNode> nodes = new ArrayList<>();
        Process child = null;
        try {
            ParleyNode seeder = start(dir, "seeder", List.of(), nodes);
            long shareStart = System.nanoTime();
            String link = shareOverApi(seeder, file);
            System.out.printf(Locale.ROOT, "parley share (encrypt + hash): %.2f s%n", (System.nanoTime() - shareStart) / 1e9);
            Path leecherDir = dir.resolve("leecher");
            child = startChild(leecherDir, seeder.dialableAddresses().getFirst());
            Path out = Files.createDirectories(dir.resolve("out"));
            long start = System.nanoTime();
            CliRun got = CliRun.run(leecherDir, "get", link, "--out", out.toString(), "--wait");
            double seconds = (System.nanoTime() - start) / 1e9;
            long peakKib = statusKib(child.pid(), "VmHWM");
            if (got.exit() != 0 || Files.size(out.resolve(file.getFileName())) != bytes) {
                throw new IllegalStateException("the Parley download failed: " + got.err());
            }
            System.out.printf(Locale.ROOT, "parley get: %.2f s, %.1f MB/s%n", seconds, bytes / 1e6 / seconds);
            System.out.printf(Locale.ROOT, "leecher peak RSS (VmHWM): %.1f MB (goal <= 256 MB)%n", peakKib * 1024 / 1e6);
        } finally {
            if (child != null) {
                child.destroy();
                child.waitFor();
            }
            for (ParleyNode node : nodes.reversed()) {
                node.close();
            }
        }
    }

    /**
     * Shares {@code file} through the API with no time limit: hashing 10 GiB on a busy machine
     * outlasts the CLI's request timeout.
     */
    private static String shareOverApi(ParleyNode node, Path file) throws Exception {
        var api = node.apiEndpoint();
        var body = org.parley.node.api.ApiJson.MAPPER.createObjectNode().put("path", file.toString());
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + api.port() + org.parley.node.api.ApiPaths.FILES_SHARE))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("share failed: " + response.body());
            }
            return org.parley.node.api.ApiJson.MAPPER.readTree(response.body()).get("link").asText();
        }
    }

    /** A leecher node in a child JVM on this class path; returns once it printed ready. */
    private static Process startChild(Path dataDir, Multiaddr bootstrap) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(LEECHER_JVM);
        command.addAll(List.of("-Dlogback.configurationFile=logback.xml", "-Dparley.log.dir=" + dataDir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dataDir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0",
                "--bootstrap", bootstrap.toString(), "--api-port", "0", "--dht-mode", "server"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.equals("ready")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        lines.transferTo(Writer.nullWriter());
                    } catch (IOException e) {
                        // The child ended.
                    }
                });
                return process;
            }
        }
        throw new IOException("the leecher node ended before it printed ready");
    }

    /** A {@code kB} field of /proc/PID/status, such as VmHWM (peak resident set). */
    private static long statusKib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("/proc/" + pid + "/status has no " + field);
    }

    private static WebTorrentRun webTorrent(Path dir, Path file, long bytes) throws Exception {
        Process seeder = node("seed", file.toString());
        try {
            Map<String, String> seeded = readUntil(seeder, "magnet");
            Path out = Files.createDirectories(dir.resolve("webtorrent-out"));
            Duration seederBefore = cpuTime(seeder);
            Process leecher = node("get", seeded.get("magnet"), seeded.get("port"), out.toString());
            Map<String, String> got = readUntil(leecher, "cpu");
            Duration seederCpu = cpuTime(seeder).minus(seederBefore);
            leecher.waitFor();
            if (Files.size(out.resolve(file.getFileName())) != bytes) {
                throw new IllegalStateException("the WebTorrent download is incomplete");
            }
            double cpuSeconds = seederCpu.toNanos() / 1e9 + Double.parseDouble(got.get("cpu"));
            return new WebTorrentRun(bytes / 1e6 / Double.parseDouble(got.get("seconds")), cpuSeconds);
        } finally {
            seeder.destroy();
        }
    }

    /** A live process's CPU time so far (Linux reads it from /proc). */
    private static Duration cpuTime(Process process) {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this system does not report a process's CPU time"));
    }

    private static Process node(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("node", "--import", "./no-webrtc.mjs",
                "webtorrent-bench.mjs"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(INTEROP.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads {@code name: value} lines until {@code last} has come. */
    private static Map<String, String> readUntil(Process process, String last) throws IOException {
        Map<String, String> values = new HashMap<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                values.put(line.substring(0, colon), line.substring(colon + 2));
            }
            if (values.containsKey(last)) {
                return values;
            }
        }
        throw new IOException("the WebTorrent process ended without printing '" + last + "'");
    }

    private static Path randomFile(Path path, long size) throws IOException {
        Random random = new Random(size);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(path)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return path;
    }
}
