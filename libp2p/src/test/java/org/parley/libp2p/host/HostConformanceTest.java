package org.parley.libp2p.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.HostBuilder;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.internal.HostInternals;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;
import org.parley.libp2p.protocol.ping.PingResponder;

/**
 * What every host must do whatever transport carries it: a subclass supplies the transport and
 * fresh listen addresses, and this suite runs several whole hosts (Noise, yamux, identify, ping)
 * over it: connect, identify, ping, streams, close, and nothing left behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class HostConformanceTest {

    /** Enough hosts that every one both dials and accepts several connections at once. */
    static final int HOSTS = 4;
    static final String ECHO = "/parley-test/echo/1.0.0";
    /** Generous for a loaded 2-core machine; only reached when something is broken. */
    static final long WAIT_SECONDS = 30;

    private final List<Host> hosts = new ArrayList<>();

    /** Adds the transport under test to {@code builder}. */
    protected abstract HostBuilder withTransport(HostBuilder builder);

    /** An address to listen on that no other host of the test uses. */
    protected abstract Multiaddr listenAddress();

    /**
     * Checks that the transport holds nothing open once every host is closed.
     *
     * @param formerListenAddresses where the closed hosts listened
     */
    protected abstract void assertTransportReleasedEverything(List<Multiaddr> formerListenAddresses)
            throws Exception;

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    /** A started host with an echo handler on {@link #ECHO}. */
    protected Host startHost() {
        Host host = withTransport(Libp2p.newHost())
                .identity(Ed25519PrivateKey.generate())
                .listen(List.of(listenAddress()))
                .agentVersion("parley-test/1")
                .build();
        hosts.add(host);
        try {
            host.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host.setHandler(ECHO, stream -> {
            stream.in().transferTo(stream.out());
            stream.out().close();
        });
        return host;
    }

    private List<Host> startHosts(int count) {
        List<Host> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(startHost());
        }
        return started;
    }

    private static Multiaddr addressOf(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @Test
    void everyHostConnectsToEveryOtherAndIdentifiesIt() throws Exception {
        List<Host> all = startHosts(HOSTS);

        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Host dialer = all.get(i);
                Host target = all.get(j);
                Connection connection = dialer.connect(addressOf(target));

                assertThat(connection.remotePeer()).isEqualTo(target.peerId());
                assertThat(connection.isInitiator()).isTrue();
                assertThat(connection.remoteAddress()).isEqualTo(target.listenAddresses().getFirst());
                Peerstore store = dialer.peerstore();
                assertThat(store.protocols(target.peerId())).contains(Identify.PROTOCOL_ID, PingResponder.PROTOCOL_ID, ECHO);
                assertThat(store.agentVersion(target.peerId())).hasValue("parley-test/1");
                assertThat(store.addresses(target.peerId())).contains(target.listenAddresses().getFirst());
                assertThat(store.publicKey(target.peerId()))
                        .hasValueSatisfying(key -> assertThat(PeerId.fromPublicKey(key)).isEqualTo(target.peerId()));
            }
        }
        for (Host host : all) {
            assertThat(host.connections()).hasSize(HOSTS - 1);
        }
    }

    @Test
    void pingsMeasureARoundTripAndRecordIt() throws Exception {
        Host a = startHost();
        Host b = startHost();
        a.connect(addressOf(b));

        Duration rtt = a.ping(b.peerId());

        assertThat(rtt).isPositive();
        assertThat(a.peerstore().latency(b.peerId())).isPresent();
    }

    @Test
    void concurrentStreamsCarryDataBothWays() throws Exception {
        Host a = startHost();
        Host b = startHost();
        a.connect(addressOf(b));
        int streams = 8;
        byte[] payload = new byte[200 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> echoed = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                echoed.add(pool.submit(() -> {
                    try (Stream stream = a.newStream(b.peerId(), ECHO)) {
                        Future<?> writer = pool.submit(() -> {
                            stream.out().write(payload);
                            stream.out().close();
                            return null;
                        });
                        byte[] back = stream.in().readAllBytes();
                        writer.get(WAIT_SECONDS, TimeUnit.SECONDS);
                        return back;
                    }
                }));
            }
            for (Future<byte[]> result : echoed) {
                assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(payload);
            }
        }
        assertThat(a.connections(b.peerId())).hasSize(1);
    }

    @Test
    void aProtocolThePeerDoesNotServeIsRefused() throws Exception {
        Host a = startHost();
        Host b = startHost();
        a.connect(addressOf(b));

        assertThatThrownBy(() -> a.newStream(b.peerId(), "/parley-test/nobody/1.0.0"))
                .isInstanceOf(ProtocolNotSupportedException.class);
        try (Stream stream = a.newStream(b.peerId(), ECHO)) {
            stream.out().write("still fine".getBytes(UTF_8));
            stream.out().close();
            assertThat(new String(stream.in().readAllBytes(), UTF_8)).isEqualTo("still fine");
        }
    }

    @Test
    void dialsAPeerByIdAtTheAddressesItAnnounced() throws Exception {
        Host a = startHost();
        Host b = startHost();
        Host c = startHost();
        b.connect(addressOf(c));
        a.peerstore().addAddresses(c.peerId(), c.listenAddresses(), Peerstore.TEMPORARY_TTL);

        Connection connection = a.connect(c.peerId());

        assertThat(connection.remotePeer()).isEqualTo(c.peerId());
    }

    @Test
    void closingHostsDisconnectsTheirPeersAndLeavesNothingBehind() throws Exception {
        List<Host> all = startHosts(HOSTS);
        Host last = all.getLast();
        CountDownLatch disconnected = new CountDownLatch(HOSTS - 1);
        last.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected gone && gone.lastConnection()) {
                disconnected.countDown();
            }
        });
        for (Host host : all.subList(0, HOSTS - 1)) {
            host.connect(addressOf(last));
            try (Stream stream = host.newStream(last.peerId(), ECHO)) {
                stream.out().close();
                assertThat(stream.in().readAllBytes()).isEmpty();
            }
        }

        List<Multiaddr> bound = all.stream().flatMap(host -> host.listenAddresses().stream()).toList();
        for (Host host : all.subList(0, HOSTS - 1)) {
            host.close();
        }

        assertThat(disconnected.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(last.connections()).isEmpty();
        last.close();
        for (Host host : all) {
            assertThat(host.connections()).isEmpty();
            assertThat(HostInternals.liveThreads(host)).isZero();
        }
        assertTransportReleasedEverything(bound);
    }
}
