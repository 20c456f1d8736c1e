package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.libp2p.host.TestHosts.addressOf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SelfDialException;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.internal.HostInternals;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;

class HostTest {

    private static final String ECHO = "/parley-test/echo/1.0.0";

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void connectsInBothDirections() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();

        Connection ab = a.connect(addressOf(b));
        Connection ba = b.connect(addressOf(a));

        assertThat(ab.remotePeer()).isEqualTo(b.peerId());
        assertThat(ab.isInitiator()).isTrue();
        assertThat(ab.remoteAddress()).isEqualTo(b.listenAddresses().getFirst());
        assertThat(PeerId.fromPublicKey(ab.remotePublicKey())).isEqualTo(b.peerId());
        assertThat(ba.remotePeer()).isEqualTo(a.peerId());
        assertThat(b.connections(a.peerId())).hasSize(1).first().isSameAs(ba);
    }

    @Test
    void reportsListenAddressesWithRealPortsAndNoPeerId() {
        Host a = hosts.start();

        assertThat(a.listenAddresses()).hasSize(1);
        assertThat(a.listenAddresses().getFirst().toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/[1-9][0-9]*");
    }

    @Test
    void listensOnSeveralAddressesAndServesEach() throws Exception {
        Host a = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), Multiaddr.parse("/ip6/::1/tcp/0")))
                .build();
        try (a) {
            a.start();
            Host b = hosts.start();
            Host c = hosts.start();

            assertThat(a.listenAddresses()).hasSize(2);
            assertThat(a.listenAddresses().get(1).toString()).startsWith("/ip6/::1/tcp/");
            assertThat(b.connect(a.listenAddresses().get(0).withPeerId(a.peerId())).remotePeer()).isEqualTo(a.peerId());
            assertThat(c.connect(a.listenAddresses().get(1).withPeerId(a.peerId())).remotePeer()).isEqualTo(a.peerId());
        }
    }

    @Test
    void mustBeStartedOnceBeforeDialing() throws Exception {
        try (Host a = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build()) {
            assertThatThrownBy(() -> a.connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("host " + a.peerId() + " is new; dialing needs a started host");
            a.start();
            assertThat(a.listenAddresses()).isEmpty();
            assertThatThrownBy(a::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("host " + a.peerId() + " was already started");
        }
    }

    @Test
    void refusesAPeerThatIsNotTheOneTheAddressNames() {
        Host a = hosts.start();
        Host b = hosts.start();
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr wrong = b.listenAddresses().getFirst().withPeerId(someoneElse);

        assertThatThrownBy(() -> a.connect(wrong))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageContaining(someoneElse.toString())
                .hasMessageContaining(b.peerId().toString());
        assertThat(a.connections()).isEmpty();
    }

    @Test
    void carriesACustomProtocolOnANewStream() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        b.setHandler(ECHO, HostTest::echo);
        a.connect(addressOf(b));

        try (Stream stream = a.newStream(b.peerId(), "/parley-test/other/1.0.0", ECHO)) {
            assertThat(stream.protocol()).isEqualTo(ECHO);
            assertThat(stream.remotePeer()).isEqualTo(b.peerId());
            stream.out().write("hello".getBytes(StandardCharsets.UTF_8));
            stream.closeWrite();
            assertThat(new String(stream.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void failsClearlyWhenThePeerServesNoneOfTheProtocols() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        a.connect(addressOf(b));

        assertThatThrownBy(() -> a.newStream(b.peerId(), "/nope/1.0.0", "/nope/2.0.0"))
                .isInstanceOf(ProtocolNotSupportedException.class)
                .hasMessage("peer " + b.peerId() + " supports none of [/nope/1.0.0, /nope/2.0.0]");
        assertThat(a.connections(b.peerId())).singleElement().satisfies(c -> assertThat(c.isOpen()).isTrue());
    }

    @Test
    void resetsTheStreamWhenTheHandlerThrows() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        b.setHandler(ECHO, stream -> {
            stream.in().readNBytes(1);
            throw new IllegalStateException("handler bug (expected by the test)");
        });
        a.connect(addressOf(b));

        try (Stream stream = a.newStream(b.peerId(), ECHO)) {
            stream.out().write(1);
            stream.out().flush();
            assertThatThrownBy(() -> stream.in().read()).isInstanceOf(StreamResetException.class);
        }
    }

    @Test
    void closesTheStreamWhenTheHandlerReturns() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        b.setHandler(ECHO, stream -> stream.out().write(7));
        a.connect(addressOf(b));

        try (Stream stream = a.newStream(b.peerId(), ECHO)) {
            assertThat(stream.in().readAllBytes()).containsExactly(7);
        }
    }

    @Test
    void reusesTheConnectionToAConnectedPeer() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();

        Connection first = a.connect(addressOf(b));
        Connection second = a.connect(b.peerId());
        Connection third = a.connect(addressOf(b));
        a.newStream(b.peerId(), "/ipfs/ping/1.0.0").close();

        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(a.connections()).hasSize(1);
    }

    @Test
    void concurrentDialsToOnePeerShareOneConnection() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        a.peerstore().addAddresses(b.peerId(), b.listenAddresses(), Peerstore.TEMPORARY_TTL);
        int callers = 16;
        CountDownLatch go = new CountDownLatch(1);
        Connection[] got = new Connection[callers];
        Thread[] threads = new Thread[callers];
        for (int i = 0; i < callers; i++) {
            int index = i;
            threads[i] = Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    got[index] = a.connect(b.peerId());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        go.countDown();
        for (Thread thread : threads) {
            assertThat(thread.join(TestHosts.WAIT)).isTrue();
        }

        assertThat(got).allSatisfy(c -> assertThat(c).isSameAs(got[0]));
        assertThat(a.connections()).hasSize(1);
    }

    @Test
    void dialsAPeerByIdFromThePeerstoreSkippingDeadAddresses() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        Host gone = hosts.start();
        Multiaddr dead = gone.listenAddresses().getFirst();
        gone.close();
        a.peerstore().addAddresses(b.peerId(), List.of(dead, b.listenAddresses().getFirst()), Peerstore.TEMPORARY_TTL);

        Connection connection = a.connect(b.peerId());

        assertThat(connection.remotePeer()).isEqualTo(b.peerId());
        assertThat(a.connections()).hasSize(1);
    }

    @Test
    void failsToDialAPeerWithoutAddresses() {
        Host a = hosts.start();
        PeerId unknown = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

        assertThatThrownBy(() -> a.connect(unknown))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessage("no address known for peer " + unknown);
    }

    @Test
    void refusesToDialItself() {
        Host a = hosts.start();

        assertThatThrownBy(() -> a.connect(addressOf(a)))
                .isInstanceOf(SelfDialException.class)
                .hasMessage("cannot connect to ourselves (" + a.peerId() + "); this is the local node's own peer id");
        assertThatThrownBy(() -> a.connect(a.peerId())).isInstanceOf(SelfDialException.class);
    }

    @Test
    void closingTheHostClosesItsConnectionsAndEndsItsThreads() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        TestHosts.Events bEvents = new TestHosts.Events(b);
        a.connect(addressOf(b));
        bEvents.next(HostEvent.PeerConnected.class);

        a.close();

        HostEvent.PeerDisconnected gone = bEvents.next(HostEvent.PeerDisconnected.class);
        assertThat(gone.peer()).isEqualTo(a.peerId());
        assertThat(gone.lastConnection()).isTrue();
        assertThat(a.connections()).isEmpty();
        assertThat(HostInternals.liveThreads(a)).isZero();
        // Work still running at shutdown fails quietly, like any closed connection.
        assertThatThrownBy(() -> a.connect(addressOf(b)))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("host " + a.peerId() + " is closed");
    }

    private static void echo(Stream stream) throws IOException {
        stream.in().transferTo(stream.out());
        stream.out().flush();
    }
}
