package org.parley.libp2p.host.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.memory.MemoryNetwork;
import org.parley.libp2p.yamux.Yamux;

/**
 * A transport that secures and multiplexes its own connections (as WebRTC will) plugs into the
 * host without the host's upgrade; one that breaks that promise is caught.
 */
class SecuredMuxedTransportTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final String ECHO = "/parley-test/echo/1.0.0";

    private final MemoryNetwork network = new MemoryNetwork();
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    @Test
    void hostsUseSelfUpgradedConnectionsAsTheyAre() throws Exception {
        Host a = start();
        Host b = start();

        Connection connection = a.connect(b.listenAddresses().getFirst().withPeerId(b.peerId()));

        assertThat(connection.remotePeer()).isEqualTo(b.peerId());
        assertThat(a.peerstore().agentVersion(b.peerId())).hasValue("parley-test/1");
        assertThat(a.ping(b.peerId())).isPositive();
        try (Stream stream = a.newStream(b.peerId(), ECHO)) {
            stream.out().write("over a self-upgraded connection".getBytes(UTF_8));
            stream.out().close();
            assertThat(new String(stream.in().readAllBytes(), UTF_8)).isEqualTo("over a self-upgraded connection");
        }
    }

    @Test
    void aTransportThatHandsOverRawConnectionsDespiteItsPromiseIsOurBug() throws Exception {
        Host a = start();
        Host liar = startLiar();

        assertThatThrownBy(() -> liar.connect(a.listenAddresses().getFirst()))
                .isInstanceOf(InternalFaultException.class)
                .hasMessageContaining("says its connections are not secured and muxed, but handed over");
    }

    private Host start() throws IOException {
        PrivateKey key = Ed25519PrivateKey.generate();
        Host host = Libp2p.newHost()
                .identity(key)
                .transport(threads -> new SelfUpgradingTransport(network.create(threads), key))
                .listen(List.of(network.newAddress()))
                .agentVersion("parley-test/1")
                .build();
        return started(host);
    }

    /** Speaks memory, claims it hands over raw connections, but hands over upgraded ones. */
    private Host startLiar() throws IOException {
        PrivateKey key = Ed25519PrivateKey.generate();
        Host host = Libp2p.newHost()
                .identity(key)
                .transport(threads -> new SelfUpgradingTransport(network.create(threads), key) {
                    @Override
                    public boolean securedAndMuxed() {
                        return false;
                    }
                })
                .listen(List.of(network.newAddress()))
                .build();
        return started(host);
    }

    private Host started(Host host) throws IOException {
        hosts.add(host);
        host.start();
        host.setHandler(ECHO, stream -> {
            stream.in().transferTo(stream.out());
            stream.out().close();
        });
        return host;
    }

    /** Memory connections secured with Noise and muxed with yamux inside the transport. */
    private static class SelfUpgradingTransport implements Transport {
        private final Transport memory;
        private final NoiseTransport noise;
        private final Yamux yamux = new Yamux();

        SelfUpgradingTransport(Transport memory, PrivateKey key) {
            this.memory = memory;
            this.noise = new NoiseTransport(key);
        }

        @Override
        public String name() {
            return "self-upgrading memory";
        }

        @Override
        public boolean canDial(Multiaddr address) {
            return memory.canDial(address);
        }

        @Override
        public boolean canListen(Multiaddr address) {
            return memory.canListen(address);
        }

        @Override
        public boolean securedAndMuxed() {
            return true;
        }

        @Override
        public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
            RawConnection raw = memory.dial(address, timeout);
            SecureChannel channel = noise.secureOutbound(raw, null, List.of(), HANDSHAKE_TIMEOUT);
            return new Upgraded(raw, channel, yamux.newSession(channel, true));
        }

        @Override
        public TransportListener listen(Multiaddr address, Consumer<RawConnection> acceptor) throws IOException {
            return memory.listen(address, raw -> Thread.ofVirtual().start(() -> {
                try {
                    SecureChannel channel = noise.secureInbound(raw, List.of(), HANDSHAKE_TIMEOUT);
                    acceptor.accept(new Upgraded(raw, channel, yamux.newSession(channel, false)));
                } catch (IOException e) {
                    raw.close();
                }
            }));
        }
    }

    /** The host must use the session only: reading or writing the raw bytes would corrupt Noise. */
    private record Upgraded(RawConnection raw, SecureChannel channel, MuxedSession session)
            implements SecuredMuxedConnection {
        @Override
        public Multiaddr localAddress() {
            return raw.localAddress();
        }

        @Override
        public Multiaddr remoteAddress() {
            return raw.remoteAddress();
        }

        @Override
        public InputStream in() {
            throw new AssertionError("the host read the raw bytes of a secured, muxed connection");
        }

        @Override
        public OutputStream out() {
            throw new AssertionError("the host wrote the raw bytes of a secured, muxed connection");
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
