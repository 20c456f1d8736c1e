package org.parley.libp2p.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.ConnectionStats;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.testing.SilentSocketFlood;

/**
 * {@code scripts/bench hostile}: one node with the default limits under the two attacks that
 * used to lock honest peers out, while an honest peer dials and pings it every second. Phase 1
 * holds silent TCP sockets from 127.0.0.2..40 (reopened whenever the node closes one); phase 2
 * has hundreds of peers each dial once and stay idle, past the connection cap. Prints, per phase,
 * the honest peer's success rate and its connect-plus-ping times (p50, p99, max), and the node's
 * connection counters. The goal is 100% and a p99 under 1 s. Only 127.0.0.0/8 addresses are used.
 *
 * <p>Options: {@code --seconds N} per phase (default 30, at most 300), {@code --idle-peers N}
 * (default 300, at most 1000), {@code --flood-last-host N} (default 40: sources 127.0.0.2..N).
 */
public final class HostileLoadBench {

    /** Phases longer than this are not a benchmark but a soak test. */
    static final int MAX_SECONDS = 300;
    /** Each idle peer is a whole Java host in this JVM; 1000 fit in the 2 GiB heap. */
    static final int MAX_IDLE_PEERS = 1000;
    /**
     * Idle peers dialing at once, like a crowd arriving rather than one burst. They all dial from
     * 127.0.0.1, as the honest peer does, so together they stay under the node's 8 handshakes per
     * address, which real peers on their own addresses would not share.
     */
    static final int IDLE_DIAL_CONCURRENCY = 4;
    /** Silent connections per flooding address; the node allows 8 handshakes per address. */
    static final int FLOOD_SOCKETS_PER_ADDRESS = 4;
    /** The flooder's pause before reopening a closed socket. */
    static final Duration FLOOD_PAUSE = Duration.ofMillis(20);

    private HostileLoadBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scripts/bench hostile: " + e.getMessage());
            System.exit(2);
            return;
        }
        Duration phase = Duration.ofSeconds(options.get("seconds"));
        try (Host node = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).limits(HostLimits.defaults()).build()) {
            node.start();
            Multiaddr address = node.listenAddresses().getFirst().withPeerId(node.peerId());
            System.out.printf("hostile load on one node with default limits; %d s per phase%n%n", phase.toSeconds());

            HonestProbe flooded = new HonestProbe(address);
            try (SilentSocketFlood flood = new SilentSocketFlood(node.listenAddresses().getFirst().toTcpSocketAddress(),
                    2, options.get("flood-last-host"), FLOOD_SOCKETS_PER_ADDRESS, FLOOD_PAUSE)) {
                flooded.run(phase);
                System.out.printf("flood sockets opened: %d%n", flood.opened());
            }
            report("1. silent sockets from 127.0.0.2.." + options.get("flood-last-host"), flooded, node);

            List<Host> idle = new ArrayList<>();
            try {
                HonestProbe crowded = new HonestProbe(address);
                Thread filler = Thread.ofVirtual().start(() -> fill(idle, address, options.get("idle-peers")));
                crowded.run(phase);
                filler.join();
                report("2. " + options.get("idle-peers") + " idle peers", crowded, node);
            } finally {
                synchronized (idle) {
                    idle.forEach(Host::close);
                }
            }
        }
        System.exit(0);
    }

    /** Starts {@code count} hosts that each dial the node once and then stay idle. */
    private static void fill(List<Host> idle, Multiaddr address, int count) {
        Semaphore slots = new Semaphore(IDLE_DIAL_CONCURRENCY);
        List<Thread> dials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquireUninterruptibly();
            dials.add(Thread.ofVirtual().start(() -> {
                try {
                    Host peer = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build();
                    synchronized (idle) {
                        idle.add(peer);
                    }
                    peer.start();
                    peer.connect(address);
                } catch (IOException | RuntimeException e) {
                    // Refused at the cap: counted by the node, and the peer stays away like a js peer would.
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread dial : dials) {
            try {
                dial.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void report(String title, HonestProbe probe, Host node) {
        List<HonestProbe.Attempt> attempts = probe.attempts();
        long ok = attempts.stream().filter(HonestProbe.Attempt::succeeded).count();
        System.out.println(title);
        System.out.printf("  honest peer: %d of %d connect+ping succeeded (%.1f%%)%n", ok, attempts.size(),
                attempts.isEmpty() ? 0.0 : 100.0 * ok / attempts.size());
        double[] millis = attempts.stream().filter(HonestProbe.Attempt::succeeded)
                .mapToDouble(a -> a.nanos() / 1e6).toArray();
        if (millis.length > 0) {
            Samples samples = Samples.of(millis);
            System.out.printf("  connect+ping ms: p50 %.1f  p99 %.1f  max %.1f%n", samples.median(),
                    samples.percentile(99), samples.max());
        }
        attempts.stream().filter(a -> !a.succeeded()).map(HonestProbe.Attempt::failure).distinct().limit(3)
                .forEach(f -> System.out.println("  failure: " + f));
        ConnectionStats stats = node.connectionStats();
        System.out.printf("  node: %d connections (low %d, high %d, cap %d), %d pending handshakes, %d peer faults%n",
                stats.connections(), stats.lowWater(), stats.highWater(), stats.maxConnections(),
                stats.pendingHandshakes(), stats.peerFaults());
        System.out.println("  refused so far: " + stats.refused());
        System.out.println("  closed so far:  " + stats.closed());
        System.out.println();
    }

    private static Map<String, Integer> parse(String[] args) {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("seconds", 30);
        options.put("idle-peers", 300);
        options.put("flood-last-host", 40);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!options.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]
                        + "; expected --seconds N, --idle-peers N or --flood-last-host N");
            }
            int value;
            try {
                value = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + args[i] + "'");
            }
            options.put(name, value);
        }
        check(options, "seconds", 1, MAX_SECONDS);
        check(options, "idle-peers", 1, MAX_IDLE_PEERS);
        check(options, "flood-last-host", 2, 254);
        return options;
    }

    private static void check(Map<String, Integer> options, String name, int min, int max) {
        int value = options.get(name);
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must lie in " + min + ".." + max + ", got " + value);
        }
    }
}
