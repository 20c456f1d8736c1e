package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.testing.SilentSocketFlood;

/**
 * Regression: 64 idle TCP sockets kept every new peer out, since a silent socket held a
 * handshake slot for the whole 10 s timeout and nothing limited slots per address or subnet.
 * The attacker here holds silent sockets from 127.0.0.2 to 127.0.0.40, which all reach a
 * listener on 127.0.0.1, the honest peer's address.
 */
class HostileHandshakeTest {

    /** Long enough for the flood to occupy every slot it can get. */
    private static final Duration FLOOD_SETTLE = Duration.ofSeconds(10);
    /** How long the honest peer may take to connect and ping: a few seconds, against the 10 s timeout. */
    private static final Duration HONEST_DEADLINE = Duration.ofSeconds(4);
    private static final Duration FLOOD_PAUSE = Duration.ofMillis(20);

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void silentSocketsFromManyAddressesDoNotKeepAnHonestPeerOut() throws Exception {
        Host target = hosts.start();
        try (SilentSocketFlood flood = new SilentSocketFlood(
                target.listenAddresses().getFirst().toTcpSocketAddress(), 2, 40, 4, FLOOD_PAUSE)) {
            awaitPending(target, HostLimits.DEFAULT_MAX_HANDSHAKES_PER_SUBNET);

            for (int attempt = 0; attempt < 3; attempt++) {
                connectAndPing(hosts.start(), target);
            }
            assertThat(target.connectionStats().closed(Closure.HANDSHAKE_GAVE_WAY)).isPositive();
            assertThat(target.connectionStats().pendingHandshakes())
                    .isLessThanOrEqualTo(HostLimits.DEFAULT_MAX_HANDSHAKES_PER_SUBNET);
        }
    }

    @Test
    void whenSilentSocketsHoldEveryHandshakeSlotTheOldestGivesWay() throws Exception {
        // Subnet limit as large as the total: only the host-wide limit holds the flood back.
        Host target = hosts.start(HostLimits.defaults().withMaxInboundHandshakes(32).withMaxHandshakesPerSubnet(32));
        try (SilentSocketFlood flood = new SilentSocketFlood(
                target.listenAddresses().getFirst().toTcpSocketAddress(), 2, 40, 2, FLOOD_PAUSE)) {
            awaitPending(target, 32);

            for (int attempt = 0; attempt < 3; attempt++) {
                connectAndPing(hosts.start(), target);
            }
            assertThat(target.connectionStats().closed(Closure.HANDSHAKE_GAVE_WAY)).isPositive();
        }
    }

    private static void connectAndPing(Host honest, Host target) throws Exception {
        CompletableFuture<Duration> rtt = CompletableFuture.supplyAsync(() -> {
            try {
                honest.connect(addressOf(target));
                return honest.ping(target.peerId());
            } catch (Exception e) {
                throw new IllegalStateException("honest peer could not reach the target: " + e, e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        assertThat(rtt.get(HONEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isPositive();
        assertThat(target.connections(honest.peerId())).isNotEmpty();
    }

    /** Waits until the flood holds {@code slots} pending handshakes on {@code host}. */
    private static void awaitPending(Host host, int slots) throws InterruptedException {
        long deadline = System.nanoTime() + FLOOD_SETTLE.toNanos();
        while (host.connectionStats().pendingHandshakes() < slots) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the flood held only " + host.connectionStats().pendingHandshakes()
                        + " handshake slots after " + FLOOD_SETTLE);
            }
            Thread.sleep(20);
        }
    }
}
