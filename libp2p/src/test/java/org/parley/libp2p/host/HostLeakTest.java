package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.host.internal.HostInternals;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** Connection churn must leave no thread, connection or socket behind. */
class HostLeakTest {

    private static final int CYCLES = 10_000;
    /** Dialers churning at once: a cycle mostly waits on the other side, so this uses both cores. */
    private static final int DIALERS = 4;
    private static final int WARM_UP_CYCLES = 50;
    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** Threads a started host keeps for its whole life: accept loop, event dispatcher, timer. */
    private static final int RESIDENT_THREADS = 3;

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void tenThousandConnectDisconnectCyclesLeakNothing() throws Exception {
        Host listener = hosts.start();
        Map<PeerId, Semaphore> listenerSawClose = new ConcurrentHashMap<>();
        List<Host> dialers = new ArrayList<>();
        for (int i = 0; i < DIALERS; i++) {
            Host dialer = hosts.start();
            dialers.add(dialer);
            listenerSawClose.put(dialer.peerId(), new Semaphore(0));
        }
        listener.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected gone) {
                listenerSawClose.get(gone.peer()).release();
            }
        });
        Multiaddr target = addressOf(listener);

        churn(dialers, target, listenerSawClose, WARM_UP_CYCLES);
        ThreadCensus before = settledCensus(listener, dialers, null);

        churn(dialers, target, listenerSawClose, CYCLES / DIALERS);
        ThreadCensus after = settledCensus(listener, dialers, before);

        assertThat(listener.connections()).isEmpty();
        assertThat(dialers).allSatisfy(dialer -> assertThat(dialer.connections()).isEmpty());
        assertThat(newThreads(after, before)).isEmpty();
        assertThat(after.openFileDescriptors()).isLessThanOrEqualTo(before.openFileDescriptors());
    }

    /** Each dialer connects (identify both ways) and disconnects {@code cycles} times, one after the other. */
    private static void churn(List<Host> dialers, Multiaddr target, Map<PeerId, Semaphore> listenerSawClose,
            int cycles) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (Host dialer : dialers) {
            Semaphore dialerSawClose = new Semaphore(0);
            var subscription = dialer.subscribe(event -> {
                if (event instanceof HostEvent.PeerDisconnected) {
                    dialerSawClose.release();
                }
            });
            threads.add(Thread.ofVirtual().start(() -> {
                try (subscription) {
                    for (int i = 0; i < cycles; i++) {
                        dialer.connect(target).close();
                        assertThat(dialerSawClose.tryAcquire(TestHosts.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                                .isTrue();
                        assertThat(listenerSawClose.get(dialer.peerId())
                                .tryAcquire(TestHosts.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * Waits until every host runs only its resident threads and, given a baseline, until the JVM
     * has no thread the baseline lacked: muxer readers end just after their disconnect event, and
     * no event marks that, so the census is retried until it settles.
     */
    private static ThreadCensus settledCensus(Host listener, List<Host> dialers, ThreadCensus baseline)
            throws Exception {
        List<Host> all = new ArrayList<>(dialers);
        all.add(listener);
        for (Host host : all) {
            assertThat(HostInternals.awaitThreadsAtMost(host, RESIDENT_THREADS, SETTLE)).isTrue();
        }
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ThreadCensus census = ThreadCensus.take();
        while (baseline != null && !newThreads(census, baseline).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            census = ThreadCensus.take();
        }
        return census;
    }

    /** Threads in {@code now} beyond those in {@code baseline}, by name and count. */
    private static List<String> newThreads(ThreadCensus now, ThreadCensus baseline) {
        List<String> extra = new ArrayList<>(now.threads());
        baseline.threads().forEach(extra::remove);
        return extra;
    }
}
