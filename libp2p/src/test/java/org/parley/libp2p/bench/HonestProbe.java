package org.parley.libp2p.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * The honest peer of {@link HostileLoadBench}: once a second a fresh host (a new identity, as a
 * newly started js-libp2p node would be) dials the target, pings it and hangs up. Records whether
 * each attempt succeeded and how long connecting plus the ping took. Not thread safe: one probe
 * per phase, driven from one thread.
 */
final class HonestProbe {

    /** How long one attempt may take before it counts as failed: the target's handshake timeout. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private final Multiaddr target;
    private final List<Attempt> attempts = new ArrayList<>();

    /** One attempt: its duration in nanoseconds, and the failure if it failed. */
    record Attempt(long nanos, String failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    HonestProbe(Multiaddr target) {
        this.target = target;
    }

    /** Runs one attempt a second for {@code duration}; each attempt runs on its own virtual thread. */
    void run(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> running = new ArrayList<>();
        List<Attempt> results = java.util.Collections.synchronizedList(new ArrayList<>());
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            running.add(Thread.ofVirtual().name("honest-probe").start(() -> results.add(attempt())));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
        }
        for (Thread thread : running) {
            thread.join(ATTEMPT_TIMEOUT.plusSeconds(5));
        }
        attempts.addAll(results);
    }

    private Attempt attempt() {
        long start = System.nanoTime();
        try (Host honest = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build()) {
            honest.start();
            Thread.Builder.OfVirtual watchdog = Thread.ofVirtual();
            Thread timer = watchdog.start(() -> {
                try {
                    Thread.sleep(ATTEMPT_TIMEOUT);
                    honest.close();
                } catch (InterruptedException e) {
                    // The attempt ended first.
                }
            });
            try {
                honest.connect(target);
                honest.ping(target.peerId());
                return new Attempt(System.nanoTime() - start, null);
            } finally {
                timer.interrupt();
            }
        } catch (Exception e) {
            return new Attempt(System.nanoTime() - start, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
