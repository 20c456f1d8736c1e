package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.HostBuilder;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.tcp.TcpTransport;

/** The host suite over the default transport, TCP on loopback. */
class TcpHostConformanceTest extends HostConformanceTest {

    /** Loopback answers or refuses at once; this bounds only a broken machine. */
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);

    @Override
    protected HostBuilder withTransport(HostBuilder builder) {
        return builder;
    }

    @Override
    protected Multiaddr listenAddress() {
        return TestHosts.LOOPBACK;
    }

    /** The listening sockets are closed: nothing accepts at the former addresses any more. */
    @Override
    protected void assertTransportReleasedEverything(List<Multiaddr> formerListenAddresses) {
        TcpTransport tcp = new TcpTransport();
        assertThat(formerListenAddresses).isNotEmpty();
        for (Multiaddr address : formerListenAddresses) {
            assertThatThrownBy(() -> tcp.dial(address, DIAL_TIMEOUT)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aDefaultHostRefusesQuicAddressesAndSaysWhatItDials() {
        Host a = startHost();

        assertThatThrownBy(() -> a.connect(Multiaddr.parse("/ip4/127.0.0.1/udp/4001/quic-v1")))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot dial /ip4/127.0.0.1/udp/4001/quic-v1: this host dials TCP addresses only");
    }
}
