package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.host.internal.DefaultHost;
import org.parley.libp2p.multiaddr.Multiaddr;

/** Connection churn must leave no thread, connection or socket behind. */
class HostLeakTest {

    private static final int CYCLES = 10_000;
    private static final int WARM_UP_CYCLES = 200;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void tenThousandConnectDisconnectCyclesLeakNothing() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        Semaphore aClosed = disconnects(a);
        Semaphore bClosed = disconnects(b);
        Multiaddr target = addressOf(b);

        cycle(a, target, aClosed, bClosed, WARM_UP_CYCLES);
        ThreadCensus before = settledCensus(a, b, null);

        cycle(a, target, aClosed, bClosed, CYCLES);
        ThreadCensus after = settledCensus(a, b, before);

        assertThat(a.connections()).isEmpty();
        assertThat(b.connections()).isEmpty();
        assertThat(after.threads()).containsExactlyInAnyOrderElementsOf(before.threads());
        assertThat(after.openFileDescriptors()).isEqualTo(before.openFileDescriptors());
    }

    /** Connects (with identify both ways) and disconnects {@code n} times, one after the other. */
    private static void cycle(Host a, Multiaddr target, Semaphore aClosed, Semaphore bClosed, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            Connection connection = a.connect(target);
            connection.close();
            assertThat(aClosed.tryAcquire(TestHosts.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(bClosed.tryAcquire(TestHosts.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    private static Semaphore disconnects(Host host) {
        Semaphore closed = new Semaphore(0);
        host.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected) {
                closed.release();
            }
        });
        return closed;
    }

    /**
     * Waits until both hosts run only their resident threads (accept loop, dispatcher, timer) and,
     * given a baseline, until the whole JVM is back to it; muxer readers end just after their
     * connection's disconnect event, so the census is retried until it settles.
     */
    private static ThreadCensus settledCensus(Host a, Host b, ThreadCensus baseline) throws Exception {
        for (Host host : new Host[] {a, b}) {
            assertThat(((DefaultHost) host).threads().awaitAtMost(3, SETTLE)).isTrue();
        }
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ThreadCensus census = ThreadCensus.take();
        while (baseline != null && !sameThreads(census, baseline) && System.nanoTime() < deadline) {
            // No event marks the end of a muxer's reader thread, so poll until the census settles.
            Thread.sleep(50);
            census = ThreadCensus.take();
        }
        return census;
    }

    private static boolean sameThreads(ThreadCensus one, ThreadCensus other) {
        return one.threads().stream().sorted().toList().equals(other.threads().stream().sorted().toList());
    }
}
