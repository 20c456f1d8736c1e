package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.HostBuilder;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;
import org.parley.libp2p.protocol.ping.PingResponder;

/** Identify, identify push, ping and the event stream between hosts over loopback TCP. */
class HostProtocolsTest {

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void servesIdentifyPushAndPingOutOfTheBox() {
        Host a = hosts.start();

        assertThat(a.protocols()).containsExactlyInAnyOrder(
                Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID, PingResponder.PROTOCOL_ID);
    }

    @Test
    void identifiesThePeerOnConnect() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        b.setHandler("/parley-test/chat/1.0.0", stream -> {});

        a.connect(addressOf(b));

        Peerstore store = a.peerstore();
        assertThat(store.protocols(b.peerId())).containsExactlyInAnyOrderElementsOf(b.protocols());
        assertThat(store.supports(b.peerId(), "/parley-test/chat/1.0.0")).isTrue();
        assertThat(store.agentVersion(b.peerId())).hasValue("parley-test/1");
        assertThat(store.protocolVersion(b.peerId())).hasValue(HostBuilder.DEFAULT_PROTOCOL_VERSION);
        assertThat(store.addresses(b.peerId())).containsExactlyElementsOf(b.listenAddresses());
        assertThat(store.publicKey(b.peerId())).hasValueSatisfying(
                key -> assertThat(PeerId.fromPublicKey(key)).isEqualTo(b.peerId()));
    }

    @Test
    void theListenerIdentifiesTheDialerToo() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        TestHosts.Events bEvents = new TestHosts.Events(b);

        a.connect(addressOf(b));
        bEvents.next(HostEvent.PeerIdentified.class);

        assertThat(b.peerstore().protocols(a.peerId())).containsExactlyInAnyOrderElementsOf(a.protocols());
        assertThat(b.peerstore().addresses(a.peerId())).containsExactlyElementsOf(a.listenAddresses());
    }

    @Test
    void pushesANewProtocolToConnectedPeers() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        a.connect(addressOf(b));
        TestHosts.Events bEvents = new TestHosts.Events(b);

        a.setHandler("/ipfs/kad/1.0.0", stream -> {});

        bEvents.next(HostEvent.PeerIdentified.class, e -> e.peer().equals(a.peerId())
                && b.peerstore().supports(a.peerId(), "/ipfs/kad/1.0.0"));
        a.removeHandler("/ipfs/kad/1.0.0");
        bEvents.next(HostEvent.PeerIdentified.class, e -> e.peer().equals(a.peerId())
                && !b.peerstore().supports(a.peerId(), "/ipfs/kad/1.0.0"));
        assertThat(b.peerstore().protocols(a.peerId())).containsExactlyInAnyOrderElementsOf(a.protocols());
    }

    @Test
    void pingsAPeerAndRecordsTheLatency() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        a.peerstore().addAddresses(b.peerId(), b.listenAddresses(), Peerstore.TEMPORARY_TTL);

        Duration rtt = a.ping(b.peerId());
        a.ping(b.peerId());

        assertThat(rtt).isPositive();
        assertThat(a.peerstore().latency(b.peerId())).hasValueSatisfying(l -> assertThat(l).isPositive());
    }

    @Test
    void deliversConnectedIdentifiedDisconnectedInOrder() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        TestHosts.Events events = new TestHosts.Events(a);

        Connection connection = a.connect(addressOf(b));
        connection.close();

        assertThat(events.next()).isEqualTo(new HostEvent.PeerConnected(b.peerId(), connection));
        assertThat(events.next()).isEqualTo(new HostEvent.PeerIdentified(b.peerId(), connection));
        assertThat(events.next()).isEqualTo(new HostEvent.PeerDisconnected(b.peerId(), connection, true));
    }

    @Test
    void aThrowingSubscriberDoesNotStopDelivery() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        List<HostEvent> seenByFirst = new ArrayList<>();
        a.subscribe(event -> {
            seenByFirst.add(event);
            throw new IllegalStateException("subscriber bug (expected by the test)");
        });
        TestHosts.Events events = new TestHosts.Events(a);

        Connection connection = a.connect(addressOf(b));
        connection.close();

        events.next(HostEvent.PeerDisconnected.class);
        assertThat(seenByFirst).hasSize(3);
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        List<HostEvent> seen = new ArrayList<>();
        Subscription subscription = a.subscribe(seen::add);
        TestHosts.Events events = new TestHosts.Events(a);
        subscription.close();

        a.connect(addressOf(b));
        events.next(HostEvent.PeerIdentified.class);

        assertThat(seen).isEmpty();
    }

    @Test
    void manyHostsConnectToEachOther() throws Exception {
        List<Host> mesh = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            mesh.add(hosts.start());
        }
        List<Thread> dialers = new ArrayList<>();
        for (Host from : mesh) {
            for (Host to : mesh) {
                if (from != to) {
                    // Regression: the address must be known before the dialer starts, or it races the ping.
                    from.peerstore().addAddresses(to.peerId(), to.listenAddresses(), Peerstore.TEMPORARY_TTL);
                    dialers.add(Thread.ofVirtual().start(() -> {
                        try {
                            from.ping(to.peerId());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }));
                }
            }
        }
        for (Thread dialer : dialers) {
            assertThat(dialer.join(TestHosts.WAIT)).isTrue();
        }

        for (Host host : mesh) {
            assertThat(host.connections().stream().map(Connection::remotePeer).distinct()).hasSize(mesh.size() - 1);
        }
    }
}
