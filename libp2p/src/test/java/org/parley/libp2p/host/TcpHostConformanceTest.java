package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.libp2p.HostBuilder;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;

/** The host suite over the default transport, TCP on loopback. */
class TcpHostConformanceTest extends HostConformanceTest {

    @Override
    protected HostBuilder withTransport(HostBuilder builder) {
        return builder;
    }

    @Override
    protected Multiaddr listenAddress() {
        return TestHosts.LOOPBACK;
    }

    /** TCP sockets are closed with their connections; the host's own threads are checked by the suite. */
    @Override
    protected void assertTransportReleasedEverything() {}

    @Test
    void aDefaultHostRefusesQuicAddressesAndSaysWhatItDials() {
        Host a = startHost();

        assertThatThrownBy(() -> a.connect(Multiaddr.parse("/ip4/127.0.0.1/udp/4001/quic-v1")))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot dial /ip4/127.0.0.1/udp/4001/quic-v1: this host dials TCP addresses only");
    }
}
