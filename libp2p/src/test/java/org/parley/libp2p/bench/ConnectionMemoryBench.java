package org.parley.libp2p.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;

/**
 * Measures the resident memory of one {@link BenchPeer} host before and while it holds many
 * connections, each from a different client host (its own identity) in this JVM: the host's
 * per-peer limit is left as it is, and 500 peers each with one connection is what a busy node
 * sees. Not thread safe; runs on the caller's thread, dialing from virtual threads.
 */
final class ConnectionMemoryBench {

    /** Dials at once: well under the host's 64 inbound handshakes, enough to finish in seconds. */
    static final int PARALLEL_DIALS = 8;

    /** Connections opened and closed before the baseline, so that the code path is loaded and compiled. */
    static final int WARMUP_CONNECTIONS = 20;

    /**
     * Connections the child may hold beyond the measured ones: the warm-up connections may still be
     * closing on its side when the measured ones arrive, and the host must refuse none.
     */
    static final int LIMIT_HEADROOM = WARMUP_CONNECTIONS + 64;

    /** Opening 500 connections takes seconds even on a loaded machine; after this something is wrong. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /** What one run measured; bytes throughout. */
    record Result(int connections, long rssBefore, long rssAfter, long heapBefore, long heapAfter,
            Duration openTime) {
        double rssPerConnection() {
            return (double) (rssAfter - rssBefore) / connections;
        }

        double heapPerConnection() {
            return (double) (heapAfter - heapBefore) / connections;
        }
    }

    private final BenchPeerProcess peer;
    private final int connections;

    ConnectionMemoryBench(BenchPeerProcess peer, int connections) {
        this.peer = peer;
        this.connections = connections;
    }

    Result run() throws Exception {
        closeAll(open(WARMUP_CONNECTIONS));
        awaitConnections(0);
        long rssBefore = peer.residentSetBytes();
        long heapBefore = peer.heapUsedAfterGc();
        long start = System.nanoTime();
        List<Host> clients = open(connections);
        try {
            awaitConnections(connections);
            Duration openTime = Duration.ofNanos(System.nanoTime() - start);
            long rssAfter = peer.residentSetBytes();
            long heapAfter = peer.heapUsedAfterGc();
            return new Result(connections, rssBefore, rssAfter, heapBefore, heapAfter, openTime);
        } finally {
            closeAll(clients);
        }
    }

    /** Starts {@code n} client hosts and connects each to the peer; returns once all are connected. */
    private List<Host> open(int n) throws Exception {
        List<Host> clients = Collections.synchronizedList(new ArrayList<>());
        Semaphore dials = new Semaphore(PARALLEL_DIALS);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                done.add(executor.submit(() -> {
                    dials.acquire();
                    try {
                        Host client = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build();
                        clients.add(client);
                        client.start();
                        client.connect(peer.hostAddress());
                    } finally {
                        dials.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            closeAll(clients);
            throw e;
        }
        return clients;
    }

    private static void closeAll(List<Host> hosts) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host host : List.copyOf(hosts)) {
                executor.submit(host::close);
            }
        }
    }

    /** Polls the peer until it holds exactly {@code n} connections. */
    private void awaitConnections(int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        int now;
        while ((now = peer.connections()) != n) {
            if (System.nanoTime() > deadline) {
                throw new IOException("bench peer holds " + now + " connections after " + SETTLE_TIMEOUT.toSeconds()
                        + " s; expected " + n);
            }
            Thread.sleep(20);
        }
    }
}
