package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.FakeClock;
import org.parley.libp2p.transport.memory.MemoryNetwork;

/**
 * Idle expiry and peerstore expiry driven by a fake clock: hosts on an in-memory network, the
 * idle sweep run by the test, no waiting for real time to pass.
 */
class HostIdleExpiryTest {

    /**
     * The host's own sweep first runs after 30 s of real time, past the end of these tests; were
     * it to run, it would read the same fake clock and decide as the test's own sweeps do.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final long WAIT_SECONDS = 30;

    private final FakeClock clock = new FakeClock();
    private final MemoryNetwork network = new MemoryNetwork();
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    private DefaultHost startHost() throws IOException {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(network)
                .listen(List.of(network.newAddress()))
                .limits(HostLimits.defaults().withIdleTimeout(IDLE_TIMEOUT))
                .clock(clock)
                .build();
        hosts.add(host);
        host.start();
        host.setHandler("/parley-test/hold/1.0.0", stream -> stream.in().readAllBytes());
        return (DefaultHost) host;
    }

    private static Multiaddr addressOf(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @Test
    void aConnectionWithoutStreamsIsClosedOnceTheClockPassesTheIdleTimeout() throws Exception {
        DefaultHost a = startHost();
        DefaultHost b = startHost();
        Connection connection = a.connect(addressOf(b));
        CountDownLatch closed = disconnected(a, b.peerId());
        awaitNoStreams(connection);

        clock.advance(IDLE_TIMEOUT.minusSeconds(1));
        a.closeIdleConnections();
        assertThat(connection.isOpen()).isTrue();

        clock.advance(Duration.ofSeconds(2));
        a.closeIdleConnections();
        assertThat(closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(a.connections()).isEmpty();
    }

    @Test
    void openedAtComesFromTheClock() throws Exception {
        DefaultHost a = startHost();
        DefaultHost b = startHost();

        Connection connection = a.connect(addressOf(b));

        assertThat(connection.openedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aConnectionWithAnOpenStreamOrAProtectedPeerStays() throws Exception {
        DefaultHost a = startHost();
        DefaultHost b = startHost();
        DefaultHost c = startHost();
        Connection toB = a.connect(addressOf(b));
        Connection toC = a.connect(addressOf(c));
        awaitNoStreams(toB);
        awaitNoStreams(toC);
        a.protect(c.peerId(), "test");

        try (Stream held = a.newStream(b.peerId(), "/parley-test/hold/1.0.0")) {
            clock.advance(IDLE_TIMEOUT.multipliedBy(2));
            a.closeIdleConnections();

            assertThat(toB.isOpen()).isTrue();
            assertThat(toC.isOpen()).isTrue();
            assertThat(held.protocol()).isEqualTo("/parley-test/hold/1.0.0");
        }
        // The idle time counts from the stream's end, not from the connection's start.
        CountDownLatch closed = disconnected(a, b.peerId());
        awaitNoStreams(toB);
        a.closeIdleConnections();
        assertThat(toB.isOpen()).isTrue();
        clock.advance(IDLE_TIMEOUT.plusSeconds(1));
        a.closeIdleConnections();
        assertThat(closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(toC.isOpen()).isTrue();
    }

    @Test
    void peerstoreAddressesExpireWithTheClock() throws Exception {
        DefaultHost a = startHost();
        PeerId other = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr address = network.newAddress();
        a.peerstore().addAddresses(other, List.of(address), Duration.ofMinutes(2));

        clock.advance(Duration.ofMinutes(1));
        assertThat(a.peerstore().addresses(other)).containsExactly(address);
        clock.advance(Duration.ofMinutes(2));
        assertThat(a.peerstore().addresses(other)).isEmpty();
    }

    private static CountDownLatch disconnected(Host host, PeerId peer) {
        CountDownLatch latch = new CountDownLatch(1);
        host.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected gone && gone.peer().equals(peer)) {
                latch.countDown();
            }
        });
        return latch;
    }

    /**
     * Waits until identify's streams on {@code connection} have ended: they run on their own
     * threads just after the connect, and no event marks their end.
     */
    private static void awaitNoStreams(Connection connection) throws InterruptedException {
        await(() -> connection.streamCount() == 0, "streams of " + connection + " to end");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
