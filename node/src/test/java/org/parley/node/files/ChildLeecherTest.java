package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.protocol.FilesResponder;
import org.parley.files.protocol.PieceSource;
import org.parley.files.protocol.PieceSources;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FileBitfieldStore;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.ListenAddresses;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

/**
 * A leecher node in a child JVM, stopped with SIGKILL (no shutdown hook, no close) at exactly half
 * of a file and started again. Mid-transfer: one seeder has the first half, the other the rest but
 * holds it at a gate, so the download is running when killed; after the restart it goes on by
 * itself and no piece in its saved bitfield is served to it again. After a failure: a seeder
 * showing only the first half makes the download fail, and after the restart {@code resume}
 * fetches only the other half. With a file-size limit ({@code ulimit -f}, which the JVM turns into
 * EFBIG errors) standing in for a full disk, a download fails with a message saying so and no file
 * appears. "Half" is exact by construction, not a race with loopback speed.
 */
class ChildLeecherTest {

    /** 32 MiB: 128 pieces of 256 KiB. */
    private static final int FILE_BYTES = 32 << 20;
    private static final long DEADLINE_SECONDS = 60;
    /** 8 MiB: a quarter of the file, far above anything else the node writes at start. */
    private static final long FULL_DISK_LIMIT_KIB = 8 * 1024;

    @TempDir
    Path root;

    private Host seeder;
    private Host secondSeeder;
    private final CountDownLatch gate = new CountDownLatch(1);
    private Process leecher;

    @AfterEach
    void stop() throws Exception {
        if (leecher != null) {
            leecher.destroyForcibly().waitFor();
        }
        gate.countDown();
        if (secondSeeder != null) {
            secondSeeder.close();
        }
        if (seeder != null) {
            seeder.close();
        }
    }

    @Test
    void aLeecherKilledAtHalfResumesWithoutFetchingAVerifiedPieceAgain() throws Exception {
        Path original = FilesNodesTest.randomFile(root.resolve("big.bin"), FILE_BYTES);
        SharedFile shared = new FileSharer(Clock.systemUTC()).share(original);
        int pieces = shared.manifest().chunkCount();
        int half = pieces / 2;
        HalfSource source = new HalfSource(shared, half);
        PieceSources sources = new PieceSources();
        sources.add(source);
        seeder = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        seeder.start();
        seeder.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        FileLink link = new FileLink(shared.fileId(), "big.bin", FILE_BYTES,
                ListenAddresses.dialable(seeder.listenAddresses(), seeder.peerId()), shared.key());
        String fileId = shared.fileId().toString();
        Path dataDir = root.resolve("leecher");
        Path out = Files.createDirectories(root.resolve("out"));

        leecher = startLeecher(dataDir);
        CliRun get = CliRun.run(dataDir, "get", link.toUri(), "--out", out.toString());
        assertThat(get.exit()).as(get.err()).isEqualTo(ExitCode.OK);
        JsonNode stalled = awaitState(dataDir, fileId, "failed");
        assertThat(stalled.get("piecesDone").asInt()).isEqualTo(half);
        assertThat(stalled.get("error").asText()).contains("resume when a seeder is online");

        leecher.destroyForcibly().waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS); // SIGKILL: no close, no hook
        BitSet saved = new FileBitfieldStore(dataDir.resolve(FilesFeature.DOWNLOADS_DIR).resolve(fileId + ".bits"))
                .load();
        assertThat(saved.cardinality()).isEqualTo(half);
        assertThat(out.resolve("big.bin")).doesNotExist();

        source.whole.set(true);
        leecher = startLeecher(dataDir);
        JsonNode restored = awaitState(dataDir, fileId, "failed");
        assertThat(restored.get("error").asText()).contains("parley resume " + fileId);
        CliRun resume = CliRun.run(dataDir, "resume", fileId);
        assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.OK);
        JsonNode done = awaitState(dataDir, fileId, "done");

        assertThat(done.get("piecesFetched").asInt()).as("pieces fetched after the restart")
                .isEqualTo(pieces - saved.cardinality());
        for (int i = 0; i < pieces; i++) {
            assertThat(source.served.get(i)).as("times piece " + i + " was served").isEqualTo(1);
        }
        assertThat(FilesNodesTest.sha256(out.resolve("big.bin"))).isEqualTo(FilesNodesTest.sha256(original));
    }

    @Test
    void aLeecherKilledMidTransferResumesAtRestartAndFetchesNoSavedPieceAgain() throws Exception {
        Path original = FilesNodesTest.randomFile(root.resolve("big.bin"), FILE_BYTES);
        SharedFile shared = new FileSharer(Clock.systemUTC()).share(original);
        int pieces = shared.manifest().chunkCount();
        int half = pieces / 2;
        // The first seeder has the first half; the second has the rest but holds every piece at the
        // gate, so the leecher sits at exactly half, still running, when it is killed.
        HalfSource firstHalf = new HalfSource(shared, half);
        GatedSecondHalf secondHalf = new GatedSecondHalf(shared, half, gate);
        seeder = serve(firstHalf);
        secondSeeder = serve(secondHalf);
        List<Multiaddr> hints = new ArrayList<>(ListenAddresses.dialable(seeder.listenAddresses(), seeder.peerId()));
        hints.addAll(ListenAddresses.dialable(secondSeeder.listenAddresses(), secondSeeder.peerId()));
        FileLink link = new FileLink(shared.fileId(), "big.bin", FILE_BYTES, hints, shared.key());
        String fileId = shared.fileId().toString();
        Path dataDir = root.resolve("leecher");
        Path bits = dataDir.resolve(FilesFeature.DOWNLOADS_DIR).resolve(fileId + ".bits");
        Path out = Files.createDirectories(root.resolve("out"));

        leecher = startLeecher(dataDir);
        CliRun get = CliRun.run(dataDir, "get", link.toUri(), "--out", out.toString());
        assertThat(get.exit()).as(get.err()).isEqualTo(ExitCode.OK);
        awaitSaved(bits, half);
        assertThat(awaitState(dataDir, fileId, "running").get("piecesDone").asInt()).isEqualTo(half);

        leecher.destroyForcibly().waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS); // SIGKILL while running
        BitSet saved = new FileBitfieldStore(bits).load();
        assertThat(saved.cardinality()).isEqualTo(half);
        assertThat(out.resolve("big.bin")).doesNotExist();
        for (int i = 0; i < pieces; i++) {
            firstHalf.served.set(i, 0);
        }
        gate.countDown();

        leecher = startLeecher(dataDir); // the download was running: it goes on by itself
        JsonNode done = awaitState(dataDir, fileId, "done");

        assertThat(done.get("piecesFetched").asInt()).as("pieces fetched after the restart").isEqualTo(pieces - half);
        for (int i = 0; i < pieces; i++) {
            int after = firstHalf.served.get(i) + secondHalf.servedAfterGate.get(i);
            assertThat(after).as("times piece " + i + " was served after the restart").isEqualTo(saved.get(i) ? 0 : 1);
        }
        assertThat(FilesNodesTest.sha256(out.resolve("big.bin"))).isEqualTo(FilesNodesTest.sha256(original));
    }

    static Host serve(PieceSource source) throws IOException {
        PieceSources sources = new PieceSources();
        sources.add(source);
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        host.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        return host;
    }

    /** Waits until the leecher's saved bitfield holds {@code count} pieces; it lives in another process. */
    private static void awaitSaved(Path bits, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (new FileBitfieldStore(bits).load().cardinality() < count) {
            assertThat(System.nanoTime()).as("the bitfield holds " + count + " pieces").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aFullDiskFailsTheDownloadWithAClearMessageAndLeavesNoFile() throws Exception {
        Path original = FilesNodesTest.randomFile(root.resolve("big.bin"), FILE_BYTES);
        SharedFile shared = new FileSharer(Clock.systemUTC()).share(original);
        HalfSource source = new HalfSource(shared, 0);
        source.whole.set(true);
        PieceSources sources = new PieceSources();
        sources.add(source);
        seeder = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        seeder.start();
        seeder.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        FileLink link = new FileLink(shared.fileId(), "big.bin", FILE_BYTES,
                ListenAddresses.dialable(seeder.listenAddresses(), seeder.peerId()), shared.key());
        Path dataDir = root.resolve("leecher");
        Path out = Files.createDirectories(root.resolve("out"));

        // No file of the child may grow past 8 MiB: the partial download hits it at a quarter.
        leecher = startLeecher(dataDir, FULL_DISK_LIMIT_KIB);
        CliRun get = CliRun.run(dataDir, "get", link.toUri(), "--out", out.toString(), "--wait");

        assertThat(get.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(get.err().lines().toList().getLast()).startsWith("parley get: cannot write the download's pieces: ")
                .contains("(is the disk full?); free space and resume").doesNotContain("Exception");
        assertThat(Files.list(out).toList()).isEmpty();
    }

    /** Starts {@code parley} on {@code dataDir} in a child JVM and returns once it printed "ready". */
    private static Process startLeecher(Path dataDir) throws IOException {
        return startLeecher(dataDir, 0);
    }

    /**
     * As {@link #startLeecher(Path)}, no file of the child larger than {@code fileLimitKib} KiB if
     * it is above 0.
     */
    private static Process startLeecher(Path dataDir, long fileLimitKib) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        if (fileLimitKib > 0) {
            // bash's ulimit -f counts KiB; exec keeps one process, so the kill and the pid stay the JVM's.
            command.addAll(List.of("bash", "-c", "ulimit -f " + fileLimitKib + " && exec \"$@\"", "parley"));
        }
        command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), "org.parley.node.Main",
                "--data-dir", dataDir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--api-port", "0",
                "--dht-mode", "server"));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.equals("ready")) {
                // Keep reading so the child never blocks on a full pipe.
                Thread.ofVirtual().start(() -> lines.lines().forEach(l -> { }));
                return process;
            }
        }
        throw new IOException("the leecher node exited with " + waitFor(process) + " before it was ready");
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode awaitState(Path dataDir, String fileId, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (true) {
            for (JsonNode t : CliRun.json(dataDir, "transfers").get("transfers")) {
                if (t.get("fileId").asText().equals(fileId) && t.get("kind").asText().equals("download")
                        && t.get("state").asText().equals(state)) {
                    return t;
                }
            }
            assertThat(System.nanoTime()).as(fileId + " reaches " + state).isLessThan(deadline);
            // The node runs in another process: nothing to wait on but its answers.
            Thread.sleep(50);
        }
    }

    /** Serves a shared file, its bitfield showing only pieces below {@code half} until {@link #whole}; counts pieces served. */
    static final class HalfSource implements PieceSource {
        final AtomicBoolean whole = new AtomicBoolean();
        final AtomicIntegerArray served;
        private final SharedFile file;
        private final int half;

        HalfSource(SharedFile file, int half) {
            this.file = file;
            this.half = half;
            this.served = new AtomicIntegerArray(file.manifest().chunkCount());
        }

        @Override
        public FileId fileId() {
            return file.fileId();
        }

        @Override
        public byte[] manifestBytes() {
            return file.manifestBytes();
        }

        @Override
        public BitSet pieces() {
            BitSet all = file.pieces();
            if (!whole.get()) {
                all.clear(half, all.length());
            }
            return all;
        }

        @Override
        public Reader openReader() throws IOException {
            Reader reader = file.openReader();
            return new Reader() {
                @Override
                public SealedPiece read(int index) throws IOException {
                    SealedPiece piece = reader.read(index);
                    served.incrementAndGet(index);
                    return piece;
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }
    }

    /**
     * Serves pieces from {@code first} on, each held until {@code gate} opens; counts those served
     * on streams opened after it.
     */
    static final class GatedSecondHalf implements PieceSource {
        final AtomicIntegerArray servedAfterGate;
        private final SharedFile file;
        private final int first;
        private final CountDownLatch gate;

        GatedSecondHalf(SharedFile file, int first, CountDownLatch gate) {
            this.file = file;
            this.first = first;
            this.gate = gate;
            this.servedAfterGate = new AtomicIntegerArray(file.manifest().chunkCount());
        }

        @Override
        public FileId fileId() {
            return file.fileId();
        }

        @Override
        public byte[] manifestBytes() {
            return file.manifestBytes();
        }

        @Override
        public BitSet pieces() {
            BitSet all = file.pieces();
            all.clear(0, first);
            return all;
        }

        @Override
        public Reader openReader() throws IOException {
            Reader reader = file.openReader();
            // Streams of the killed leecher, still waiting at the gate, are not counted.
            boolean openedAfterGate = gate.getCount() == 0;
            return new Reader() {
                @Override
                public SealedPiece read(int index) throws IOException {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    SealedPiece piece = reader.read(index);
                    if (openedAfterGate) {
                        servedAfterGate.incrementAndGet(index);
                    }
                    return piece;
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }
    }
}
