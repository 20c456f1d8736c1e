package org.parley.files.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.parley.files.download.Download;
import org.parley.files.download.DownloadListener;
import org.parley.files.link.FileLink;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.protocol.FilesResponder;
import org.parley.files.protocol.PieceSources;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FileBitfieldStore;
import org.parley.files.store.FilePieceStore;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * {@code scripts/bench files-module [MiB]}: one file (default 256 MiB of random bytes) shared by hosts on
 * loopback TCP (Noise + yamux) and fetched by one leecher, first from one seeder, then from three.
 * Prints the share time and, per run, MB/s (MB = 10^6 bytes) from start to the file in place
 * (verified, decrypted and renamed). The WebTorrent comparison belongs to the node-level benchmark.
 */
public final class FilesBench {

    private FilesBench() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        long size = mib * 1024 * 1024;
        Path dir = Files.createTempDirectory("parley-files-bench");
        try {
            Path source = dir.resolve("source.bin");
            writeRandom(source, size);
            long t0 = System.nanoTime();
            SharedFile shared = new FileSharer(Clock.systemUTC()).share(source);
            double shareSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("share %d MiB: %.2f s, %.0f MB/s (read, encrypt, hash), %d pieces of %d KiB%n",
                    mib, shareSeconds, size / 1e6 / shareSeconds, shared.manifest().chunkCount(), shared.manifest().chunkSize() / 1024);
            double one = run(dir, shared, 1, "1 seeder  -> 1 leecher");
            double three = run(dir, shared, 3, "3 seeders -> 1 leecher");
            System.out.printf("3 seeders / 1 seeder: %.2f%n", three / one);
            System.out.printf("heap committed at the end (-Xmx512m): %d MiB%n",
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / (1024 * 1024));
        } finally {
            deleteTree(dir);
        }
    }

    private static double run(Path dir, SharedFile shared, int seeders, String label) throws Exception {
        List<Host> hosts = new ArrayList<>();
        try {
            List<Multiaddr> addresses = new ArrayList<>();
            for (int i = 0; i < seeders; i++) {
                Host seeder = startHost();
                hosts.add(seeder);
                PieceSources sources = new PieceSources();
                sources.add(shared);
                seeder.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
                addresses.add(seeder.listenAddresses().getFirst().withPeerId(seeder.peerId()));
            }
            Host leecher = startHost();
            hosts.add(leecher);
            FileLink link = new FileLink(shared.fileId(), "bench.bin", shared.manifest().size(), addresses, shared.key());
            Path out = Files.createDirectories(dir.resolve("out-" + seeders));
            long[] allPieces = {0};
            Path state = Files.createDirectories(dir.resolve("state-" + seeders));
            Download download = new Download(leecher, link, out.resolve("bench.bin"),
                    chunkSize -> new FilePieceStore(state.resolve("pieces"), chunkSize),
                    new FileBitfieldStore(state.resolve("bitfield")), new DownloadListener() {
                        @Override
                        public void onProgress(org.parley.files.download.DownloadProgress progress) {
                            if (progress.piecesDone() == progress.piecesTotal() && allPieces[0] == 0) {
                                allPieces[0] = System.nanoTime();
                            }
                        }
                    }, Clock.systemUTC());
            long start = System.nanoTime();
            download.start();
            Path file = download.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (Files.mismatch(file, shared.path()) != -1) {
                throw new IllegalStateException("the downloaded file differs from the original");
            }
            double rate = shared.manifest().size() / 1e6 / seconds;
            double fetchSeconds = (allPieces[0] - start) / 1e9;
            System.out.printf("%s: %.2f s, %.0f MB/s (file identical); pieces fetched, verified and decrypted in %.2f s (%.0f MB/s), then put into place%n",
                    label, seconds, rate, fetchSeconds, shared.manifest().size() / 1e6 / fetchSeconds);
            Files.delete(file);
            return rate;
        } finally {
            for (Host host : hosts.reversed()) {
                host.close();
            }
        }
    }

    private static Host startHost() throws IOException {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .build();
        host.start();
        return host;
    }

    private static void writeRandom(Path path, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long written = 0; written < size; written += buffer.length) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
