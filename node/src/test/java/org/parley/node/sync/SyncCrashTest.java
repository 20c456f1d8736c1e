package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.KeyFile;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.SyncAnswer;
import org.parley.node.cli.ApiClient;
import org.parley.node.network.NetworkFeature;

/**
 * kill -9 of either device in the middle of a large first sync: after its restart the two
 * histories converge, with nothing lost and nothing duplicated, because each batch is stored in
 * one transaction and the next exchange starts from what was stored. The killed device runs in a
 * child JVM ({@link SyncNodeMain}) so that the kill is a real SIGKILL.
 */
@Tag("slow")
class SyncCrashTest {

    /**
     * Large enough that the sync takes seconds, so the kill lands in its middle: the kill follows
     * the first stored batch of 512 within milliseconds. 40,000 were too few once a batch needed
     * one signature check per device run (the whole sync once ended before the kill).
     */
    private static final int ENTRIES = 100_000;

    /** How often the tests look whether the sync began: the kill must follow its first batch closely. */
    private static final long POLL_MILLIS = 5;

    @TempDir
    Path root;

    private ParleyNode one;
    private ParleyNode twoAgain;
    private ParleyNode two;
    private ParleyNode oneAgain;
    private Process child;

    private Path oneDir;
    private Path twoDir;
    private TestSyncSources sources;
    /** The child's roster argument: both devices' PeerIds. */
    private String roster;

    /** Two devices of one user, each the other's only sibling. */
    @BeforeEach
    void devices() throws Exception {
        oneDir = root.resolve("one");
        twoDir = root.resolve("two");
        PeerId oneId = TestSyncSources.deviceOf(oneDir);
        PeerId twoId = TestSyncSources.deviceOf(twoDir);
        sources = new TestSyncSources(Set.of(oneId, twoId));
        roster = oneId + "," + twoId;
    }

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (twoAgain != null) {
            twoAgain.close();
        }
        if (oneAgain != null) {
            oneAgain.close();
        }
        if (two != null) {
            two.close();
        }
        if (one != null) {
            one.close();
        }
    }

    @Test
    void aDeviceKilledDuringALargeSyncConvergesAfterItsRestart() throws Exception {
        SyncFeature oneSync = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        one = start(oneDir, oneSync, List.of());
        SyncService oneService = oneSync.service().orElseThrow();
        SignedChains.store(oneService, entries(oneDir));

        child = startChild(twoDir, one.dialableAddresses().getFirst(), roster);
        long seen = awaitPartialSync(twoDir);
        child.destroyForcibly().waitFor();
        child = null;

        SyncFeature twoSync = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        twoAgain = start(twoDir, twoSync, List.of(one.dialableAddresses().getFirst()));
        SyncService twoService = twoSync.service().orElseThrow();
        long killedAt = twoService.journal().store().count();
        SyncNodesTest.await(() -> twoService.journal().store().count() == ENTRIES, "device two caught up");

        assertThat(seen).as("the kill landed in the middle of the sync").isBetween(1L, (long) ENTRIES - 1);
        assertThat(killedAt).isLessThan(ENTRIES);
        assertThat(twoService.journal().store().versionVector()).isEqualTo(oneService.journal().store().versionVector());
        List<JournalEntry> theirs = oneService.journal().entries(0, Integer.MAX_VALUE);
        List<JournalEntry> mine = twoService.journal().entries(0, Integer.MAX_VALUE);
        assertThat(mine).hasSize(ENTRIES).isEqualTo(theirs);
    }

    @Test
    void aServingDeviceKilledDuringALargeSyncConvergesAfterItsRestart() throws Exception {
        // Device one writes its entries alone, then is stopped: the child serves them from its data dir.
        SyncFeature writing = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        one = start(oneDir, writing, List.of());
        SignedChains.store(writing.service().orElseThrow(), entries(oneDir));
        one.close();
        one = null;

        SyncFeature twoSync = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        two = start(twoDir, twoSync, List.of());
        SyncService twoService = twoSync.service().orElseThrow();
        child = startChild(oneDir, two.dialableAddresses().getFirst(), roster);
        awaitFirstBatch(twoService);
        child.destroyForcibly().waitFor();
        child = null;
        long killedAt = twoService.journal().store().count();

        SyncFeature oneSync = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        oneAgain = start(oneDir, oneSync, List.of(two.dialableAddresses().getFirst()));
        SyncService oneService = oneSync.service().orElseThrow();
        SyncNodesTest.await(() -> twoService.journal().store().count() == ENTRIES, "device two caught up");

        assertThat(killedAt).as("the kill landed in the middle of the sync").isBetween(1L, (long) ENTRIES - 1);
        assertThat(oneService.journal().store().count()).as("the killed device lost nothing").isEqualTo(ENTRIES);
        assertThat(twoService.journal().store().versionVector()).isEqualTo(oneService.journal().store().versionVector());
        List<JournalEntry> theirs = oneService.journal().entries(0, Integer.MAX_VALUE);
        List<JournalEntry> mine = twoService.journal().entries(0, Integer.MAX_VALUE);
        assertThat(mine).hasSize(ENTRIES).isEqualTo(theirs).doesNotHaveDuplicates();
        assertThat(texts(twoService)).hasSize(ENTRIES).doesNotHaveDuplicates()
                .contains("entry 0", "entry " + (ENTRIES / 2), "entry " + (ENTRIES - 1));
    }

    private static List<String> texts(SyncService sync) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (JournalEntry e : sync.journal().entries(0, Integer.MAX_VALUE)) {
            out.add(new String(sync.journal().open(e), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** {@link #ENTRIES} entries "entry i" of the device whose key is in {@code dir}. */
    private static List<JournalEntry> entries(Path dir) throws Exception {
        Ed25519PrivateKey key = KeyFile.loadOrCreate(new DataDir(dir).keyFile());
        return SignedChains.sign(key, ENTRIES, "test.note", i -> ("entry " + i).getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until {@code device} stored the first entries it received, looking every {@link #POLL_MILLIS}. */
    private static void awaitFirstBatch(SyncService device) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (device.journal().store().count() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("device two never began to receive");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private ParleyNode start(Path dir, SyncFeature sync, List<Multiaddr> bootstrap) throws Exception {
        return ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                bootstrap, 0, ModePolicy.SERVER), List.of(new NetworkFeature(), sync), InstantSource.system());
    }

    /** Polls the child's API until it holds some but not all entries; returns the count seen. */
    private static long awaitPartialSync(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            long entries = ApiClient.forDataDir(new DataDir(dir)).get(ApiPaths.SYNC, SyncAnswer.class).value().entries();
            if (entries > 0) {
                return entries;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("the child never began to sync");
    }

    private static Process startChild(Path dir, Multiaddr bootstrap, String roster) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Dlogback.configurationFile=logback.xml", "-Dparley.log.dir=" + dir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), SyncNodeMain.class.getName(), dir.toString(),
                bootstrap.toString(), roster);
        Process process = new ProcessBuilder(command).redirectError(dir.resolveSibling("child.log").toFile()).start();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("ready")) {
                    // start lines before ready
                }
                Thread.ofVirtual().start(() -> {
                    try {
                        out.transferTo(Writer.nullWriter());
                    } catch (IOException e) {
                        // the child ended
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the child node did not print ready; see child.log", e);
        }
        return process;
    }
}
