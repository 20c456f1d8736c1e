package org.parley.node.sync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.protocol.ExchangeResult;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.KeyFile;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.events.NodeEvent;
import org.parley.node.network.NetworkFeature;

/**
 * {@code scripts/bench sync}: whole nodes on loopback TCP with their databases. Device 1 holds
 * 100,000 entries (arg: count) of 200-byte payloads; device 2 holds all but the last 1,000: the
 * time from connecting until device 2 is in sync, and the bytes exchanged against the size of the
 * missing entries (goal under 2 s, at most 1.2× plus O(devices)). Then an empty device 3 syncs
 * all of them: the time (goal under 10 s).
 */
public final class SyncBench {

    private static final int PAYLOAD_BYTES = 200;
    private static final int MISSING = 1_000;

    private SyncBench() {}

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path root = Files.createTempDirectory("parley-sync-bench");
        try {
            run(root, total);
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(Path root, int total) throws Exception {
        Path oneDir = root.resolve("one");
        Path twoDir = root.resolve("two");
        Path threeDir = root.resolve("three");
        Ed25519PrivateKey oneKey = key(oneDir);
        PeerId one = PeerId.fromPublicKey(oneKey.publicKey());
        TestSyncSources sources = new TestSyncSources(Set.of(one, PeerId.fromPublicKey(key(twoDir).publicKey()),
                PeerId.fromPublicKey(key(threeDir).publicKey())));

        System.out.printf(Locale.ROOT, "signing %,d entries of %d-byte payloads ...%n", total, PAYLOAD_BYTES);
        byte[] payload = new byte[PAYLOAD_BYTES];
        List<JournalEntry> entries = SignedChains.sign(oneKey, total, "chat.sent", i -> {
            byte[] text = ("message " + i + " ").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(text, 0, payload, 0, Math.min(text.length, PAYLOAD_BYTES));
            return payload;
        });
        long missingBytes = entries.subList(total - MISSING, total).stream().mapToLong(JournalEntry::encodedLength).sum();

        List<ParleyNode> nodes = new ArrayList<>();
        try {
            Started first = start(oneDir, sources, nodes);
            SignedChains.store(first.service(), entries);
            Started second = start(twoDir, sources, nodes);
            SignedChains.store(second.service(), entries.subList(0, total - MISSING));

            Duration catchUp = connectAndAwait(second, first, total);
            ExchangeResult r = second.service().lastExchange(one).orElseThrow();
            long exchanged = r.bytesReceived() + r.bytesSent();
            System.out.printf(Locale.ROOT, "catch-up of %,d missing of %,d entries: %d ms until in sync (goal < 2000 ms)%n",
                    MISSING, total, catchUp.toMillis());
            System.out.printf(Locale.ROOT, "  bytes exchanged %,d (in %,d, out %,d) for %,d bytes of missing entries:"
                    + " %.4f x, overhead %,d bytes (goal <= 1.2 x + O(devices))%n", exchanged, r.bytesReceived(),
                    r.bytesSent(), missingBytes, (double) exchanged / missingBytes, exchanged - missingBytes);

            Started third = start(threeDir, sources, nodes);
            long cpuBefore = processCpuNanos();
            Duration full = connectAndAwait(third, first, total);
            long cpu = processCpuNanos() - cpuBefore;
            ExchangeResult f = third.service().lastExchange(one).orElseThrow();
            System.out.printf(Locale.ROOT, "full first sync of %,d entries: %d ms (goal < 10000 ms), %,d bytes received;"
                    + " CPU time of both nodes %.1f s (%.0f us per entry)%n", total, full.toMillis(), f.bytesReceived(),
                    cpu / 1e9, cpu / 1e3 / total);
        } finally {
            nodes.reversed().forEach(ParleyNode::close);
        }
    }

    private record Started(ParleyNode node, SyncService service) {}

    /** CPU time of this JVM (both nodes run in it): what the sync costs, which other load distorts less than wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Ed25519PrivateKey key(Path dir) throws Exception {
        DataDir dataDir = new DataDir(dir);
        dataDir.create();
        return KeyFile.loadOrCreate(dataDir.keyFile());
    }

    private static Started start(Path dir, TestSyncSources sources, List<ParleyNode> nodes) throws Exception {
        SyncFeature feature = new SyncFeature(sources, SyncService.DEFAULT_INTERVAL);
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(), 0, ModePolicy.SERVER),
                List.of(new NetworkFeature(), feature), InstantSource.system());
        nodes.add(node);
        return new Started(node, feature.service().orElseThrow());
    }

    /** Connects {@code device} to {@code source} and waits until it holds {@code total} entries and reports in sync. */
    private static Duration connectAndAwait(Started device, Started source, int total) throws Exception {
        PeerId sourceId = source.node().host().peerId();
        CountDownLatch inSync = new CountDownLatch(1);
        try (var subscription = device.node().events().subscribe("sync-bench", event -> {
            if (event instanceof NodeEvent.SyncState s && s.device().equals(sourceId)
                    && s.state().equals(DeviceSyncState.IN_SYNC)) {
                inSync.countDown();
            }
        })) {
            long begin = System.nanoTime();
            device.node().host().connect(source.node().dialableAddresses().getFirst());
            if (!inSync.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no in-sync state within 120 s");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            long held = device.service().journal().store().count();
            if (held != total) {
                throw new IllegalStateException("in sync with " + held + " of " + total + " entries");
            }
            return took;
        }
    }
}
