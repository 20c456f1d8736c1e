package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.protocol.FilesResponder;
import org.parley.files.protocol.PieceSource;
import org.parley.files.protocol.PieceSources;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.ListenAddresses;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiJson;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.TransferIdRequest;
import org.parley.node.cli.ExitCode;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.parley.node.testing.CliRun;

/**
 * Pause, resume and cancel through the CLI on a download that cannot finish by itself: the seeder
 * (a bare host) holds back every piece from the second half on until the test opens its gate, so
 * the download is still running whatever the loopback's speed.
 */
class DownloadControlTest {

    private static final int FILE_BYTES = 8 << 20;
    /** How long a show may be held in the test where the download cannot end meanwhile. */
    private static final int HELD_MILLIS = 300;
    /** A show waiting 5 s must be answered sooner than this after the pause. */
    private static final long ANSWERED_WITHIN_SECONDS = 3;

    @TempDir
    Path root;

    private Host seeder;
    private ParleyNode leecher;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<NodeEvent.TransferState> states = new CopyOnWriteArrayList<>();
    private EventSubscription subscription;
    private Path original;
    private String link;
    private String fileId;

    @BeforeEach
    void seederAndLeecher() throws Exception {
        original = FilesNodesTest.randomFile(root.resolve("gated.bin"), FILE_BYTES);
        SharedFile shared = new FileSharer(Clock.systemUTC()).share(original);
        PieceSources sources = new PieceSources();
        sources.add(new GatedSource(shared, shared.manifest().chunkCount() / 2, gate));
        seeder = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        seeder.start();
        seeder.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        link = new FileLink(shared.fileId(), "gated.bin", FILE_BYTES,
                ListenAddresses.dialable(seeder.listenAddresses(), seeder.peerId()), shared.key()).toUri();
        fileId = shared.fileId().toString();
        leecher = ParleyNode.start(new NodeSettings(new DataDir(root.resolve("leecher")),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(), 0, ModePolicy.SERVER));
        subscription = leecher.events().subscribe("test", event -> {
            if (event instanceof NodeEvent.TransferState state) {
                states.add(state);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        gate.countDown();
        subscription.close();
        leecher.close();
        seeder.close();
    }

    @Test
    void aPausedDownloadResumesAndFinishes() throws Exception {
        Path out = Files.createDirectories(root.resolve("out"));
        assertThat(CliRun.run(dir(), "get", link, "--out", out.toString()).exit()).isEqualTo(ExitCode.OK);

        JsonNode paused = CliRun.json(dir(), "pause", fileId);
        assertThat(paused.get("state").asText()).isEqualTo("paused");
        CliRun again = CliRun.run(dir(), "pause", fileId);
        assertThat(again.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(again.err()).contains("is paused, not running");

        gate.countDown();
        assertThat(CliRun.json(dir(), "resume", fileId).get("state").asText()).isEqualTo("running");
        awaitDone();

        assertThat(FilesNodesTest.sha256(out.resolve("gated.bin"))).isEqualTo(FilesNodesTest.sha256(original));
        assertThat(states).extracting(NodeEvent.TransferState::state)
                .containsSubsequence("running", "paused", "running", "done", "seeding");
    }

    @Test
    void aCancelledDownloadDeletesItsPiecesAndLeavesNoFile() throws Exception {
        Path out = Files.createDirectories(root.resolve("out"));
        assertThat(CliRun.run(dir(), "get", link, "--out", out.toString()).exit()).isEqualTo(ExitCode.OK);

        JsonNode cancelled = CliRun.json(dir(), "cancel", fileId);

        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
        Path downloads = dir().resolve(FilesFeature.DOWNLOADS_DIR);
        assertThat(downloads.resolve(fileId + ".part")).doesNotExist();
        assertThat(downloads.resolve(fileId + ".bits")).doesNotExist();
        assertThat(Files.list(out).toList()).isEmpty();
        CliRun resume = CliRun.run(dir(), "resume", fileId);
        assertThat(resume.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(resume.err()).contains("only a paused or failed download resumes");
        assertThat(states).extracting(NodeEvent.TransferState::state).endsWith("cancelled");
    }

    @Test
    void aShowThatMayWaitIsHeldWhileTheDownloadRunsAndAnsweredWhenItPauses() throws Exception {
        Path out = Files.createDirectories(root.resolve("out"));
        assertThat(CliRun.run(dir(), "get", link, "--out", out.toString()).exit()).isEqualTo(ExitCode.OK);

        long start = System.nanoTime();
        HttpResponse<String> held = show(HELD_MILLIS);
        assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("the node held the show")
                .isGreaterThanOrEqualTo(HELD_MILLIS);
        assertThat(ApiJson.MAPPER.readTree(held.body()).get("state").asText()).isEqualTo("running");

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return show(TransferIdRequest.MAX_WAIT_MILLIS);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(HELD_MILLIS); // the show is most likely waiting by now; if not, it is answered at once anyway
        assertThat(CliRun.json(dir(), "pause", fileId).get("state").asText()).isEqualTo("paused");

        // Answered on the pause, well before its wait of 5 s would have run out.
        HttpResponse<String> answered = waiting.get(ANSWERED_WITHIN_SECONDS, TimeUnit.SECONDS);
        assertThat(ApiJson.MAPPER.readTree(answered.body()).get("state").asText()).isEqualTo("paused");

        HttpResponse<String> tooLong = show(TransferIdRequest.MAX_WAIT_MILLIS + 1);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("'waitMillis' must be an integer in 0..5000");
    }

    /** {@code POST /api/transfers/show} for the download, with {@code waitMillis}. */
    private HttpResponse<String> show(int waitMillis) throws Exception {
        var api = leecher.apiEndpoint();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + ApiPaths.TRANSFERS_SHOW))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        ApiJson.MAPPER.writeValueAsString(new TransferIdRequest(fileId, waitMillis))))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Polls {@code transfers} until the finished file is seeded (which follows "done"): the node
     * gives no other signal to a CLI.
     */
    private void awaitDone() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (JsonNode t : CliRun.json(dir(), "transfers").get("transfers")) {
                if (t.get("kind").asText().equals("share") && t.get("state").asText().equals("seeding")) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("the download finishes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private Path dir() {
        return leecher.settings().dataDir().root();
    }

    /** Serves a shared file, holding back pieces from {@code firstHeld} on until {@code gate} opens. */
    private record GatedSource(SharedFile file, int firstHeld, CountDownLatch gate) implements PieceSource {

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
            return file.pieces();
        }

        @Override
        public Reader openReader() throws IOException {
            Reader reader = file.openReader();
            return new Reader() {
                @Override
                public SealedPiece read(int index) throws IOException {
                    if (index >= firstHeld) {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted", e);
                        }
                    }
                    return reader.read(index);
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }
    }
}
