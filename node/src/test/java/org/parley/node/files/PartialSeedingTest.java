package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.files.link.FileLink;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.ListenAddresses;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

/**
 * A node serves the pieces of a download it has verified while the download goes on: a second
 * leecher, whose link names only the first leecher, gets exactly the half the first one holds.
 * The first leecher sits at half because one seeder has only the first half and the other holds
 * the rest at a gate.
 */
class PartialSeedingTest {

    private static final int FILE_BYTES = 8 << 20;
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @TempDir
    Path root;

    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        gate.countDown();
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aRunningDownloadServesTheHalfItHolds() throws Exception {
        Path original = FilesNodesTest.randomFile(root.resolve("part.bin"), FILE_BYTES);
        SharedFile shared = new FileSharer(Clock.systemUTC()).share(original);
        int half = shared.manifest().chunkCount() / 2;
        Host first = ChildLeecherTest.serve(new ChildLeecherTest.HalfSource(shared, half));
        closing.add(first);
        Host second = ChildLeecherTest.serve(new ChildLeecherTest.GatedSecondHalf(shared, half, gate));
        closing.add(second);
        List<Multiaddr> hints = new ArrayList<>(ListenAddresses.dialable(first.listenAddresses(), first.peerId()));
        hints.addAll(ListenAddresses.dialable(second.listenAddresses(), second.peerId()));
        String fileId = shared.fileId().toString();
        ParleyNode leecher = start("leecher");
        Path outOne = Files.createDirectories(root.resolve("out-one"));
        CliRun get = CliRun.run(dir(leecher), "get",
                new FileLink(shared.fileId(), "part.bin", FILE_BYTES, hints, shared.key()).toUri(),
                "--out", outOne.toString());
        assertThat(get.exit()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(await(dir(leecher), fileId, "running", half).get("piecesDone").asInt()).isEqualTo(half);

        ParleyNode next = start("next");
        Path outTwo = Files.createDirectories(root.resolve("out-two"));
        List<Multiaddr> onlyLeecher = leecher.dialableAddresses();
        CliRun fromLeecher = CliRun.run(dir(next), "get",
                new FileLink(shared.fileId(), "part.bin", FILE_BYTES, onlyLeecher, shared.key()).toUri(),
                "--out", outTwo.toString(), "--wait");

        assertThat(fromLeecher.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(fromLeecher.err()).contains("no peer could send the rest of the file (" + half + " of "
                + (2 * half) + " pieces missing)");
        assertThat(await(dir(next), fileId, "failed", half).get("piecesFetched").asInt()).isEqualTo(half);
        assertThat(Files.list(outTwo).toList()).isEmpty();
    }

    private ParleyNode start(String name) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(root.resolve(name)), List.of(LOOPBACK),
                List.of(), 0, ModePolicy.SERVER));
        closing.add(node);
        return node;
    }

    private static Path dir(ParleyNode node) {
        return node.settings().dataDir().root();
    }

    /** Polls {@code transfers} until the download is in {@code state} with {@code pieces} verified. */
    private static JsonNode await(Path dataDir, String fileId, String state, int pieces) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (JsonNode t : CliRun.json(dataDir, "transfers").get("transfers")) {
                if (t.get("fileId").asText().equals(fileId) && t.get("kind").asText().equals("download")
                        && t.get("state").asText().equals(state) && t.get("piecesDone").asInt() >= pieces) {
                    return t;
                }
            }
            assertThat(System.nanoTime()).as(fileId + " reaches " + state + " with " + pieces + " pieces")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
