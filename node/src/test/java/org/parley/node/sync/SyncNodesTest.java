package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.journal.Journal;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.network.NetworkFeature;
import org.parley.node.testing.CliRun;

/**
 * Two and three whole nodes of one user over loopback TCP, given the same device list and
 * history key (as linking will give them): what one device writes reaches the others, and a
 * device that was stopped catches up when it comes back, with nothing missing or duplicated.
 */
class SyncNodesTest {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private final List<ParleyNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.reversed().forEach(ParleyNode::close);
    }

    /** A running node and its sync feature. */
    private record Device(ParleyNode node, SyncService sync) {
        Journal journal() {
            return sync.journal();
        }

        long count() {
            return journal().store().count();
        }

        Multiaddr address() {
            return node.dialableAddresses().getFirst();
        }
    }

    private Device start(String name, TestSyncSources sources, List<Multiaddr> bootstrap) throws IOException {
        SyncFeature feature = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(root.resolve(name)), List.of(LOOPBACK),
                bootstrap, 0, ModePolicy.SERVER), List.of(new NetworkFeature(), feature), InstantSource.system());
        nodes.add(node);
        return new Device(node, feature.service().orElseThrow());
    }

    private void stop(Device device) {
        device.node().close();
        nodes.remove(device.node());
    }

    @Test
    void aStoppedDeviceCatchesUpOn500EntriesWhenItRestartsWithNothingMissingOrDuplicated() throws Exception {
        TestSyncSources sources = new TestSyncSources(Set.of(TestSyncSources.deviceOf(root.resolve("one")),
                TestSyncSources.deviceOf(root.resolve("two"))));
        Device one = start("one", sources, List.of());
        Device two = start("two", sources, List.of(one.address()));
        await(() -> !one.sync().onlineSiblings().isEmpty(), "the devices see each other");

        append(one, 10, "before");
        await(() -> two.count() == 10, "the push of 10 entries reached device two");

        stop(two);
        append(one, 500, "while two was off");
        Device twoAgain = start("two", sources, List.of(one.address()));
        await(() -> twoAgain.count() == 510, "device two caught up after its restart");

        assertThat(texts(twoAgain)).isEqualTo(texts(one)).hasSize(510).doesNotHaveDuplicates();
        assertThat(twoAgain.journal().store().versionVector()).isEqualTo(one.journal().store().versionVector());
        await(() -> twoAgain.sync().states().stream().anyMatch(s -> s.state().equals(DeviceSyncState.IN_SYNC)),
                "device two reports itself in sync");
        assertNotOnDisk(root, "while two was off 499");
    }

    @Test
    void threeDevicesEachOfflineAtADifferentTimeConverge() throws Exception {
        Set<PeerId> ids = Set.of(TestSyncSources.deviceOf(root.resolve("a")),
                TestSyncSources.deviceOf(root.resolve("b")), TestSyncSources.deviceOf(root.resolve("c")));
        TestSyncSources sources = new TestSyncSources(ids);
        Device a = start("a", sources, List.of());
        Device b = start("b", sources, List.of(a.address()));
        Device c = start("c", sources, List.of(a.address()));

        stop(c);
        append(a, 50, "a while c is off");
        append(b, 30, "b while c is off");
        await(() -> a.count() == 80 && b.count() == 80, "a and b exchanged");
        stop(b);
        Device c2 = start("c", sources, List.of(a.address()));
        append(c2, 20, "c while b is off");
        await(() -> c2.count() == 100 && a.count() == 100, "a and c exchanged");
        stop(a);
        Device b2 = start("b", sources, List.of(c2.address()));
        await(() -> b2.count() == 100, "b caught up from c alone");

        assertThat(texts(b2)).isEqualTo(texts(c2)).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void theSyncCommandSaysWhatItExchanged() throws Exception {
        TestSyncSources sources = new TestSyncSources(Set.of(TestSyncSources.deviceOf(root.resolve("one")),
                TestSyncSources.deviceOf(root.resolve("two"))));
        Device one = start("one", sources, List.of());
        Device two = start("two", sources, List.of(one.address()));
        await(() -> !two.sync().onlineSiblings().isEmpty(), "the devices see each other");
        append(one, 3, "x");
        await(() -> two.count() == 3, "the push reached device two");

        JsonNode answer = CliRun.json(two.node().settings().dataDir().root(), "sync");

        assertThat(answer.get("exchanges")).hasSize(1);
        JsonNode exchange = answer.get("exchanges").get(0);
        assertThat(exchange.get("peerId").asText()).isEqualTo(one.node().host().peerId().toBase58());
        assertThat(exchange.get("stored").asInt()).isZero();
        assertThat(answer.get("sync").get("entries").asLong()).isEqualTo(3);
        assertThat(answer.get("sync").get("devices").get(0).get("state").asText()).isEqualTo("in-sync");

        CliRun text = CliRun.run(one.node().settings().dataDir().root(), "sync");
        assertThat(text.out()).contains(two.node().host().peerId().toBase58() + ": received 0 entries (0 new), sent 0");
    }

    @Test
    void aPeerThatIsNotADeviceOfTheUserGetsNothingAndGivesNothing() throws Exception {
        PeerId oneId = TestSyncSources.deviceOf(root.resolve("one"));
        PeerId strangerId = TestSyncSources.deviceOf(root.resolve("stranger"));
        Device one = start("one", new TestSyncSources(Set.of(oneId)), List.of());
        append(one, 5, "private");
        // The stranger believes one is its sibling; one's device list does not name the stranger.
        Device stranger = start("stranger", new TestSyncSources(Set.of(oneId, strangerId)), List.of(one.address()));
        append(stranger, 3, "intruder");
        await(() -> !stranger.sync().onlineSiblings().isEmpty(), "the stranger is connected");

        assertThat(stranger.sync().syncNow()).isEmpty();

        assertThat(stranger.count()).isEqualTo(3);
        assertThat(one.count()).isEqualTo(5);
        // The push after the stranger's appends may still be trying at the same time: it fails too.
        await(() -> stranger.sync().states().getFirst().state().equals(DeviceSyncState.FAILED),
                "the stranger's sync state shows the refusal");
        assertThat(one.sync().onlineSiblings()).isEmpty();
        assertThat(one.sync().states()).isEmpty();
    }

    private static void append(Device device, int n, String prefix) {
        for (int i = 0; i < n; i++) {
            device.journal().append("test.note", (prefix + " " + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> texts(Device device) throws Exception {
        List<String> out = new ArrayList<>();
        for (JournalEntry e : device.journal().entries(0, Integer.MAX_VALUE)) {
            out.add(new String(device.journal().open(e), StandardCharsets.UTF_8));
        }
        assertThat(new HashSet<>(out)).hasSameSizeAs(out);
        return out;
    }

    /** No file under {@code dir} (databases, their WAL, logs) holds {@code text} in the clear. */
    private static void assertNotOnDisk(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                assertThat(indexOf(bytes, needle)).as("plaintext in %s", file).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
