package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * A relay and two hosts on loopback whose only way to each other is the relay: a reservation, a
 * relayed dial with ping and echo over it, then a WebRTC connection signaled over the relayed
 * one at {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>}, carrying a 64 MiB echo; the
 * relayed connection then closes. Also the automatic upgrade, and its failure, which leaves the
 * peers relayed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebRtcOverRelayTest {

    private static final int ECHO_BYTES = 64 << 20;

    private final WebRtcHosts hosts = new WebRtcHosts(WebRtcConfig.defaults().withLoopbackOnly().withAutoUpgrade(false));

    @BeforeAll
    static void nativeLibraryLoads() {
        WebRtcSupport.Status status = WebRtcSupport.status();
        assertThat(status.available()).as(status.describe()).isTrue();
    }

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void dialsThroughTheRelayThenUpgradesToADirectWebRtcConnection() throws Exception {
        Host relay = hosts.startRelay();
        Host target = hosts.startWithRelayClient(relay);
        Host dialer = hosts.startWithRelayClient(null);
        assertThat(target.listenAddresses()).contains(WebRtcHosts.circuit(relay));

        BlockingQueue<HostEvent> dialerEvents = WebRtcHosts.events(dialer);
        Connection relayed = dialer.connect(WebRtcHosts.circuit(relay).withPeerId(target.peerId()));
        assertThat(relayed.transport()).isEqualTo("relayed");
        assertThat(relayed.limited()).isTrue();
        assertThat(dialer.ping(target.peerId())).isPositive();
        byte[] hello = "hello through the relay".getBytes();
        try (Stream echo = relayed.newStream(List.of(WebRtcHosts.ECHO))) {
            echo.out().write(hello);
            echo.closeWrite();
            assertThat(echo.in().readAllBytes()).isEqualTo(hello);
        }

        Multiaddr viaWebRtc = WebRtcHosts.circuit(relay).encapsulate(Multiaddr.parse("/webrtc"))
                .withPeerId(target.peerId());
        Connection direct = dialer.connect(viaWebRtc);

        assertThat(direct.transport()).isEqualTo("webrtc");
        assertThat(direct.limited()).isFalse();
        assertThat(direct.remotePeer()).isEqualTo(target.peerId());
        try (Stream echo = dialer.newStream(target.peerId(), WebRtcHosts.ECHO)) {
            assertThat(echo.connection().transport()).as("new streams take the direct connection").isEqualTo("webrtc");
            assertThat(WebRtcTransportTest.echoDigest(echo, ECHO_BYTES, 3))
                    .isEqualTo(WebRtcTransportTest.expectedDigest(ECHO_BYTES, 3));
        }
        awaitClosed(dialerEvents, relayed);
        assertThat(dialer.connections(target.peerId())).extracting(Connection::transport).containsExactly("webrtc");
    }

    @Test
    void upgradesARelayedConnectionOnItsOwnAndClosesTheRelayedOne() throws Exception {
        WebRtcHosts upgrading = new WebRtcHosts();
        try (upgrading) {
            Host relay = upgrading.startRelay();
            Host target = upgrading.startWithRelayClient(relay);
            Host dialer = upgrading.startWithRelayClient(null);
            BlockingQueue<HostEvent> dialerEvents = WebRtcHosts.events(dialer);

            Connection relayed = dialer.connect(WebRtcHosts.circuit(relay).withPeerId(target.peerId()));

            HostEvent.PeerConnected upgraded = WebRtcHosts.awaitWebRtc(dialerEvents, HostEvent.PeerConnected.class);
            assertThat(upgraded.connection().transport()).isEqualTo("webrtc");
            assertThat(upgraded.peer()).isEqualTo(target.peerId());
            awaitClosed(dialerEvents, relayed);
            try (Stream echo = dialer.newStream(target.peerId(), WebRtcHosts.ECHO)) {
                assertThat(echo.connection().transport()).isEqualTo("webrtc");
            }
            assertThat(upgrading.webRtcOf(dialer).upgradeFailure(target.peerId())).isEmpty();
        }
    }

    @Test
    void staysRelayedAndSaysWhyWhenThePeerRefusesWebRtc() throws Exception {
        WebRtcHosts upgrading = new WebRtcHosts();
        try (upgrading) {
            Host relay = upgrading.startRelay();
            Host target = upgrading.startWithRelayClient(relay, false);
            Host dialer = upgrading.startWithRelayClient(null);
            WebRtcTransport dialerWebRtc = upgrading.webRtcOf(dialer);

            Connection relayed = dialer.connect(WebRtcHosts.circuit(relay).withPeerId(target.peerId()));

            // The upgrade fails without an event to wait on (no connection comes or goes): poll, bounded.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dialerWebRtc.upgradeFailure(target.peerId()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dialerWebRtc.upgradeFailure(target.peerId())).as("the failed upgrade's reason").isPresent();
            assertThat(relayed.isOpen()).isTrue();
            assertThat(dialer.connections(target.peerId())).extracting(Connection::transport).containsExactly("relayed");
            assertThat(dialer.ping(target.peerId())).isPositive();
        }
    }

    @Test
    void upgradesARelayedConnectionAtItsUpgradeAddress() throws Exception {
        Host relay = hosts.startRelay();
        Host target = hosts.startWithRelayClient(relay);
        Host dialer = hosts.startWithRelayClient(null);
        Connection relayed = dialer.connect(WebRtcHosts.circuit(relay).withPeerId(target.peerId()));

        // <relay>/p2p/<relay>/p2p-circuit/p2p/<peer>/webrtc: the peer is the last /p2p/ after the circuit.
        Multiaddr upgrade = WebRtcTransport.upgradeAddress(relayed);
        assertThat(upgrade.toString()).endsWith("/p2p-circuit/p2p/" + target.peerId() + "/webrtc");
        Connection direct = dialer.connect(upgrade);

        assertThat(direct.transport()).isEqualTo("webrtc");
        assertThat(direct.remotePeer()).isEqualTo(target.peerId());
    }

    @Test
    void announcesItsRelayedWebRtcAddressAndIsDialedThere() throws Exception {
        Host relay = hosts.startRelay();
        Host target = hosts.startWithRelayClient(relay);
        Host dialer = hosts.startWithRelayClient(null);
        Multiaddr announced = WebRtcHosts.circuit(relay).encapsulate(Multiaddr.parse("/webrtc"));

        assertThat(target.listen(announced)).containsExactly(announced);

        assertThat(target.listenAddresses()).contains(announced, WebRtcHosts.circuit(relay));
        Connection direct = dialer.connect(announced.withPeerId(target.peerId()));
        assertThat(direct.transport()).isEqualTo("webrtc");
        assertThat(dialer.peerstore().addresses(target.peerId())).as("identify carried it").contains(announced);
    }

    /**
     * Waits for {@code connection}'s disconnect event among {@code events}, or returns at once if it
     * is closed already: its event may have come before the one an earlier wait took from the queue
     * (events of different connections are published from different threads).
     */
    private static void awaitClosed(BlockingQueue<HostEvent> events, Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connection.isOpen()) {
            HostEvent event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("%s closed within 30 s", connection).isNotNull();
            if (event instanceof HostEvent.PeerDisconnected gone && gone.connection() == connection) {
                assertThat(connection.isOpen()).isFalse();
                return;
            }
        }
    }

    @Test
    void dialingTheWebRtcAddressOpensTheRelayedConnectionItSignalsOver() throws Exception {
        Host relay = hosts.startRelay();
        Host target = hosts.startWithRelayClient(relay);
        Host dialer = hosts.startWithRelayClient(null);

        Connection direct = dialer.connect(WebRtcHosts.circuit(relay).encapsulate(Multiaddr.parse("/webrtc"))
                .withPeerId(target.peerId()));

        assertThat(direct.transport()).isEqualTo("webrtc");
        assertThat(dialer.connections(target.peerId())).extracting(Connection::transport).contains("webrtc");
        assertThat(dialer.ping(target.peerId())).isPositive();
    }
}
