package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.peer.PeerId;

/**
 * Regression: idle authenticated peers filled the connection cap and every new peer was refused
 * until the 5-minute idle timeout. The connection manager now trims idle, unprotected peers
 * above the high watermark and makes room for newcomers at the cap.
 */
class ConnectionManagerHostTest {

    private static final int MAX = 12;
    private static final int HIGH = 8;
    private static final int LOW = 6;
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** The few seconds beyond the grace period a newcomer may need, against the 5-minute idle timeout. */
    private static final Duration SLACK = Duration.ofSeconds(4);
    private static final String HOLD = "/parley-test/hold/1.0.0";

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void aFullNodeAdmitsANewcomerByTrimmingIdlePeersAndKeepsProtectedAndBusyOnes() throws Exception {
        Host node = hosts.start(HostLimits.defaults().withMaxConnections(MAX).withWatermarks(LOW, HIGH)
                .withGracePeriod(GRACE));
        node.setHandler(HOLD, stream -> stream.in().readAllBytes());
        Host bootstrap = hosts.start();
        node.protect(bootstrap.peerId(), "test");
        bootstrap.connect(addressOf(node));
        Host busy = hosts.start();
        busy.connect(addressOf(node));
        Stream held = busy.newStream(node.peerId(), HOLD);
        List<Host> idle = new ArrayList<>();
        for (int i = 2; i < MAX; i++) {
            Host peer = hosts.start();
            peer.connect(addressOf(node));
            idle.add(peer);
        }
        assertThat(node.connections()).hasSize(MAX);

        // Once all are past their grace period, a newcomer gets in and the node trims to the low watermark.
        java.time.Instant lastOpened = node.connections().stream().map(Connection::openedAt)
                .max(java.util.Comparator.naturalOrder()).orElseThrow();
        Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), lastOpened.plus(GRACE)).toMillis()));
        Host newcomer = hosts.start();
        connectWithin(newcomer, node, SLACK);

        // The trim aims at the low watermark; a peer whose identify or ping stream happens to be
        // open at that moment counts as busy and stays, and one trim is all it takes to get under
        // the high watermark, so a loaded machine may end a connection or two above the low one.
        awaitConnectionsAtMost(node, HIGH);
        int left = node.connections().size();
        assertThat(left).as("connections left after the trim").isBetween(LOW, LOW + 2);
        assertThat(connected(node, bootstrap.peerId())).as("protected peer").isTrue();
        assertThat(connected(node, busy.peerId())).as("peer with an open stream").isTrue();
        assertThat(connected(node, newcomer.peerId())).as("newcomer in its grace period").isTrue();
        ConnectionStats stats = node.connectionStats();
        assertThat(stats.closed(Closure.TRIMMED_FOR_NEWCOMER) + stats.closed(Closure.TRIMMED_ABOVE_HIGH_WATER))
                .isEqualTo(MAX + 1 - left);
        assertThat(stats.lowWater()).isEqualTo(LOW);
        assertThat(stats.highWater()).isEqualTo(HIGH);
        assertThat(stats.maxConnections()).isEqualTo(MAX);
        held.close();
    }

    @Test
    void aCrowdThatFillsTheCapAtOnceGivesWayToANewcomerOnceIdleAMoment() throws Exception {
        Host node = hosts.start(HostLimits.defaults().withMaxConnections(MAX).withWatermarks(LOW, HIGH)
                .withGracePeriod(Duration.ofMinutes(10)));
        for (int i = 0; i < MAX; i++) {
            hosts.start().connect(addressOf(node));
        }
        Host late = hosts.start();

        // Still in their (10-minute) grace period, but idle since identify: one gives way.
        connectWithin(late, node, Duration.ofMillis(250).plus(SLACK));

        assertThat(node.connections()).hasSize(MAX);
        assertThat(node.connectionStats().closed(Closure.TRIMMED_FOR_NEWCOMER)).isEqualTo(1);
        assertThat(node.connectionStats().closed(Closure.TRIMMED_ABOVE_HIGH_WATER)).isZero();
    }

    private static void connectWithin(Host peer, Host node, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        IOException last = null;
        while (System.nanoTime() < end) {
            try {
                peer.connect(addressOf(node));
                if (connected(node, peer.peerId())) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("newcomer not admitted within " + deadline, last);
    }

    private static boolean connected(Host node, PeerId peer) {
        return !node.connections(peer).isEmpty();
    }

    private static void awaitConnectionsAtMost(Host node, int count) throws InterruptedException {
        long end = System.nanoTime() + TestHosts.WAIT.toNanos();
        while (node.connections().size() > count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("node has " + node.connections().size() + " connections, expected at most "
                        + count);
            }
            Thread.sleep(20);
        }
    }
}
