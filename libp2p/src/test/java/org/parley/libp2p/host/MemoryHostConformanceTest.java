package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.HostBuilder;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.memory.MemoryNetwork;
import org.parley.libp2p.transport.tcp.TcpTransport;

/** The host suite over the in-memory transport alone: whole hosts, no sockets. */
class MemoryHostConformanceTest extends HostConformanceTest {

    private final MemoryNetwork network = new MemoryNetwork();

    @Override
    protected HostBuilder withTransport(HostBuilder builder) {
        return builder.transport(network);
    }

    @Override
    protected Multiaddr listenAddress() {
        return network.newAddress();
    }

    @Override
    protected void assertTransportReleasedEverything(List<Multiaddr> formerListenAddresses) {
        assertThat(network.listenerCount()).isZero();
        assertThat(network.openConnectionEnds()).isZero();
    }

    @Test
    void aMemoryOnlyHostRefusesTcpAddressesAndSaysWhatItDials() throws Exception {
        Host a = startHost();
        Multiaddr tcp = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

        assertThatThrownBy(() -> a.connect(tcp))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot dial /ip4/127.0.0.1/tcp/4001: this host dials memory addresses only");
        PeerId unknown = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        a.peerstore().addAddresses(unknown, List.of(tcp), Peerstore.TEMPORARY_TTL);
        assertThatThrownBy(() -> a.connect(unknown))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot dial /ip4/127.0.0.1/tcp/4001: this host dials memory addresses only")
                .satisfies(e -> assertThat(((UnsupportedAddressException) e).addresses()).containsExactly(tcp));
    }

    @Test
    void startFailsOnAnAddressNoTransportListensOn() {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(network)
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .build();

        assertThatThrownBy(host::start)
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot listen on /ip4/127.0.0.1/tcp/0: this host listens on memory addresses only");
        assertThat(network.listenerCount()).isZero();
    }

    @Test
    void aHostWithBothTransportsDialsEachByAddress() throws Exception {
        Host both = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(network)
                .transport(TcpTransport::new)
                .listen(List.of(network.newAddress(), Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .build();
        TestHosts tcpHosts = new TestHosts();
        try (both; tcpHosts) {
            both.start();
            Host overMemory = startHost();
            Host overTcp = tcpHosts.start();
            {
                assertThat(both.listenAddresses()).hasSize(2);
                assertThat(both.connect(overMemory.listenAddresses().getFirst().withPeerId(overMemory.peerId()))
                        .remoteAddress().toString()).startsWith("/memory/");
                assertThat(both.connect(TestHosts.addressOf(overTcp)).remoteAddress().toString()).startsWith("/ip4/");
                assertThatThrownBy(() -> both.connect(Multiaddr.parse("/ip4/127.0.0.1/udp/1/quic-v1")))
                        .isInstanceOf(UnsupportedAddressException.class)
                        .hasMessage("cannot dial /ip4/127.0.0.1/udp/1/quic-v1: this host dials memory and TCP"
                                + " addresses only");
            }
        }
    }
}
