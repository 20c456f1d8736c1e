package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;

/** The connection manager: caps, per-peer limit and the idle timeout. */
class HostLimitsTest {

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void outboundDialBeyondTheCapFailsWithAClearError() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxConnections(1));
        Host b = hosts.start();
        Host c = hosts.start();
        a.connect(addressOf(b));

        assertThatThrownBy(() -> a.connect(addressOf(c)))
                .isInstanceOf(ConnectionLimitException.class)
                .hasMessage("connection limit reached: 1 of 1 connections open; not dialing "
                        + c.listenAddresses().getFirst());
        assertThat(a.connect(b.peerId())).isNotNull();
    }

    @Test
    void inboundConnectionBeyondTheCapIsClosed() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxConnections(1));
        Host b = hosts.start();
        Host c = hosts.start();
        TestHosts.Events cEvents = new TestHosts.Events(c);
        b.connect(addressOf(a));

        // c's dial may complete its TCP connect before a closes it; either way c ends up without it.
        try {
            c.connect(addressOf(a));
            cEvents.next(HostEvent.PeerDisconnected.class);
        } catch (java.io.IOException expected) {
            // Closed during the upgrade.
        }

        assertThat(a.connections()).singleElement().satisfies(conn -> assertThat(conn.remotePeer()).isEqualTo(b.peerId()));
        assertThat(c.connections()).isEmpty();
    }

    @Test
    void inboundConnectionBeyondThePerPeerLimitIsClosed() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxConnectionsPerPeer(1));
        Host b = hosts.start();
        TestHosts.Events bEvents = new TestHosts.Events(b);
        a.connect(addressOf(b));
        bEvents.next(HostEvent.PeerConnected.class);

        // b dials a second connection by address; a already holds one to b and closes it.
        Connection second = b.connect(a.listenAddresses().getFirst());
        HostEvent.PeerDisconnected closed = bEvents.next(HostEvent.PeerDisconnected.class);

        assertThat(closed.connection()).isSameAs(second);
        assertThat(closed.lastConnection()).isFalse();
        assertThat(a.connections()).hasSize(1);
        assertThat(b.connections()).hasSize(1);
    }

    @Test
    void outboundConnectionBeyondThePerPeerLimitFallsBackToTheExistingOne() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxConnectionsPerPeer(1));
        Host b = hosts.start();
        Connection first = a.connect(addressOf(b));

        Connection again = a.connect(b.listenAddresses().getFirst());

        assertThat(again).isSameAs(first);
        assertThat(a.connections()).hasSize(1);
    }

    @Test
    void closesIdleConnectionsButNotThoseOfProtectedPeers() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withIdleTimeout(Duration.ofMillis(300)));
        Host kept = hosts.start();
        Host dropped = hosts.start();
        TestHosts.Events events = new TestHosts.Events(a);
        a.protect(kept.peerId(), "test");
        a.connect(addressOf(kept));
        a.connect(addressOf(dropped));

        HostEvent.PeerDisconnected gone = events.next(HostEvent.PeerDisconnected.class);

        assertThat(gone.peer()).isEqualTo(dropped.peerId());
        assertThat(a.connections()).singleElement()
                .satisfies(c -> assertThat(c.remotePeer()).isEqualTo(kept.peerId()));
    }

    @Test
    void keepsAConnectionWithAnOpenStream() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withIdleTimeout(Duration.ofMillis(300)));
        Host busy = hosts.start();
        Host idle = hosts.start();
        busy.setHandler("/parley-test/hold/1.0.0", stream -> stream.in().readAllBytes());
        TestHosts.Events events = new TestHosts.Events(a);
        a.connect(addressOf(busy));
        a.connect(addressOf(idle));

        try (Stream open = a.newStream(busy.peerId(), "/parley-test/hold/1.0.0")) {
            HostEvent.PeerDisconnected gone = events.next(HostEvent.PeerDisconnected.class);

            assertThat(gone.peer()).isEqualTo(idle.peerId());
            assertThat(open.connection().isOpen()).isTrue();
        }
    }

    @Test
    void refusesInboundConnectionsBeyondTheHandshakeLimit() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxInboundHandshakes(1));
        Host b = hosts.start();

        // A connection that has spoken and then stalls holds a's only handshake slot; being young,
        // it does not give way.
        try (TcpConnection stalled = new TcpTransport().dial(a.listenAddresses().getFirst(), TestHosts.WAIT)) {
            stalled.out().write(multistreamProposal("/noise"));
            stalled.out().flush();
            assertThat(stalled.in().readNBytes(MULTISTREAM_ANSWER_BYTES)).hasSize(MULTISTREAM_ANSWER_BYTES);

            assertThatThrownBy(() -> b.connect(addressOf(a))).isInstanceOf(IOException.class);
            assertThat(stalled.isOpen()).isTrue();
        }
        assertThat(a.connections()).isEmpty();
        assertThat(a.connectionStats().refused(ConnectionStats.Refusal.HANDSHAKES_FULL)).isEqualTo(1);
    }

    @Test
    void aSilentConnectionGivesItsHandshakeSlotToANewPeer() throws Exception {
        Host a = hosts.start(HostLimits.defaults().withMaxInboundHandshakes(1));
        Host b = hosts.start();

        try (TcpConnection silent = new TcpTransport().dial(a.listenAddresses().getFirst(), TestHosts.WAIT)) {
            b.connect(addressOf(a));

            assertThat(silent.in().read()).as("closed by a").isEqualTo(-1);
        }
        assertThat(a.connections()).singleElement()
                .satisfies(conn -> assertThat(conn.remotePeer()).isEqualTo(b.peerId()));
        assertThat(a.connectionStats().closed(ConnectionStats.Closure.HANDSHAKE_GAVE_WAY)).isEqualTo(1);
    }

    /** Our multistream-select header and the listener's: 0x13 "/multistream/1.0.0\n", then 0x07 "/noise\n". */
    private static final int MULTISTREAM_ANSWER_BYTES = 20 + 8;

    private static byte[] multistreamProposal(String protocol) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String line : new String[] {"/multistream/1.0.0", protocol}) {
            byte[] text = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(text.length);
            out.writeBytes(text);
        }
        return out.toByteArray();
    }

    @Test
    void rejectsALowWatermarkAboveTheHighOne() {
        assertThatThrownBy(() -> HostLimits.defaults().withWatermarks(10, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lowWater (10) must not exceed highWater (9)");
    }

    @Test
    void watermarksAboveTheCapCountAsTheCap() {
        HostLimits limits = HostLimits.defaults().withMaxConnections(100);

        assertThat(limits.effectiveHighWater()).isEqualTo(100);
        assertThat(limits.effectiveLowWater()).isEqualTo(100);
        assertThat(HostLimits.defaults().effectiveLowWater()).isEqualTo(HostLimits.DEFAULT_LOW_WATER);
        assertThat(HostLimits.defaults().effectiveHighWater()).isEqualTo(HostLimits.DEFAULT_HIGH_WATER);
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThatThrownBy(() -> HostLimits.defaults().withMaxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be positive, got 0");
        assertThatThrownBy(() -> HostLimits.defaults().withIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout must be positive, got PT0S");
    }
}
