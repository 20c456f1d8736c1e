package org.parley.node.files.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.parley.node.ParleyNode;
import org.parley.node.testing.CliRun;

/**
 * {@code scripts/bench files-node [MiB]}: one file (1 GiB by default) from one seeder to one
 * leecher over loopback, Parley against WebTorrent in the same run. Parley: two whole nodes in this
 * JVM, {@code share} on one and {@code get --wait} on the other, timed from the get to the file in
 * place. WebTorrent ({@code scripts/interop/webtorrent-bench.mjs}): a seeding and a fetching
 * Node.js process with DHT, trackers, LSD, uTP and PEX off and the seeder added by hand on
 * 127.0.0.1, timed from the add to done. Prints MB/s for each and the ratio.
 */
public final class NodeFilesBench {

    private static final int DEFAULT_MIB = 1024;
    private static final Path INTEROP = Path.of("scripts", "interop");

    private NodeFilesBench() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_MIB;
        long bytes = (long) mib << 20;
        Path dir = Files.createTempDirectory("parley-files-node-bench");
        try {
            Path file = randomFile(dir.resolve("bench.bin"), bytes);
            System.out.printf(Locale.ROOT, "file: %d MiB, one seeder -> one leecher over loopback%n", mib);
            double parley = parley(dir, file, bytes);
            double webtorrent = webTorrent(dir, file, bytes);
            System.out.printf(Locale.ROOT, "parley:     %8.1f MB/s%n", parley);
            System.out.printf(Locale.ROOT, "webtorrent: %8.1f MB/s%n", webtorrent);
            System.out.printf(Locale.ROOT, "ratio parley/webtorrent: %.2f (goal >= 3)%n", parley / webtorrent);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static double parley(Path dir, Path file, long bytes) throws Exception {
        Multiaddr loopback = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
        try (ParleyNode seeder = ParleyNode.start(new NodeSettings(new DataDir(dir.resolve("seeder")), List.of(loopback),
                List.of(), 0, ModePolicy.SERVER));
                ParleyNode leecher = ParleyNode.start(new NodeSettings(new DataDir(dir.resolve("leecher")),
                        List.of(loopback), List.of(seeder.dialableAddresses().getFirst()), 0, ModePolicy.SERVER))) {
            long shareStart = System.nanoTime();
            String link = CliRun.json(seeder.settings().dataDir().root(), "share", file.toString()).get("link").asText();
            double shareSeconds = (System.nanoTime() - shareStart) / 1e9;
            System.out.printf(Locale.ROOT, "parley share (encrypt + hash): %.2f s%n", shareSeconds);
            Path out = Files.createDirectories(dir.resolve("parley-out"));
            AtomicLong allPieces = new AtomicLong();
            AtomicLong done = new AtomicLong();
            long start;
            CliRun got;
            try (EventSubscription ignored = leecher.events().subscribe("bench", event -> {
                if (event instanceof NodeEvent.TransferProgress p && p.piecesDone() == p.piecesTotal()
                        && p.piecesTotal() > 0) {
                    allPieces.compareAndSet(0, System.nanoTime());
                } else if (event instanceof NodeEvent.TransferState s && s.state().equals("done")) {
                    done.compareAndSet(0, System.nanoTime());
                }
            })) {
                start = System.nanoTime();
                got = CliRun.run(leecher.settings().dataDir().root(), "get", link, "--out", out.toString(), "--wait");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "parley get: %.2f s to the last verified piece, %.2f s more to decrypt the"
                    + " pieces into place, %.2f s in all (the CLI polls every %d ms)%n", (allPieces.get() - start) / 1e9,
                    (done.get() - allPieces.get()) / 1e9, seconds, 250);
            if (got.exit() != 0 || Files.size(out.resolve(file.getFileName())) != bytes) {
                throw new IllegalStateException("the Parley download failed: " + got.err());
            }
            return bytes / 1e6 / seconds;
        }
    }

    private static double webTorrent(Path dir, Path file, long bytes) throws Exception {
        Process seeder = node("seed", file.toString());
        try {
            Map<String, String> seeded = readUntil(seeder, "magnet");
            Path out = Files.createDirectories(dir.resolve("webtorrent-out"));
            Process leecher = node("get", seeded.get("magnet"), seeded.get("port"), out.toString());
            Map<String, String> got = readUntil(leecher, "seconds");
            leecher.waitFor();
            if (Files.size(out.resolve(file.getFileName())) != bytes) {
                throw new IllegalStateException("the WebTorrent download is incomplete");
            }
            return bytes / 1e6 / Double.parseDouble(got.get("seconds"));
        } finally {
            seeder.destroy();
        }
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
