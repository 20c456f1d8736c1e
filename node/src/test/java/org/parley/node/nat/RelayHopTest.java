package org.parley.node.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.protocol.autonat.Reachability;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayService;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.parley.libp2p.protocol.relay.Reservation;
import org.parley.libp2p.transport.tcp.TcpTransport;

class RelayHopTest {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Clock clock = Clock.systemUTC();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void onServesFromTheStartAndAPeerReservesASlot() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host relayHost = host(key);
        RelayHop hop = hop(relayHost, key, RelayServicePolicy.ON);
        hop.start();

        assertThat(relayHost.protocols()).contains(RelayService.HOP_PROTOCOL_ID);
        Reservation reservation = client().reserve(address(relayHost));
        assertThat(reservation.relay()).isEqualTo(relayHost.peerId());
        assertThat(hop.reservationCount()).isEqualTo(1);
    }

    @Test
    void autoServesOnlyWhileAutoNatFindsTheNodePublic() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host relayHost = host(key);
        RelayHop hop = hop(relayHost, key, RelayServicePolicy.AUTO);
        hop.start();
        RelayTransport client = client();

        assertThat(hop.serving()).isFalse();
        assertThat(relayHost.protocols()).doesNotContain(RelayService.HOP_PROTOCOL_ID);
        assertThatThrownBy(() -> client.reserve(address(relayHost))).isInstanceOf(IOException.class);

        hop.onReachability(Reachability.PUBLIC);
        assertThat(hop.serving()).isTrue();
        assertThat(client.reserve(address(relayHost)).relay()).isEqualTo(relayHost.peerId());

        hop.onReachability(Reachability.PRIVATE);
        assertThat(hop.serving()).isFalse();
        assertThat(hop.reservationCount()).isZero();
        assertThat(relayHost.protocols()).doesNotContain(RelayService.HOP_PROTOCOL_ID);
    }

    @Test
    void offNeverServesEvenWhenPublic() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host relayHost = host(key);
        RelayHop hop = hop(relayHost, key, RelayServicePolicy.OFF);
        hop.start();
        hop.onReachability(Reachability.PUBLIC);

        assertThat(hop.serving()).isFalse();
        assertThat(relayHost.protocols()).doesNotContain(RelayService.HOP_PROTOCOL_ID);
    }

    @Test
    void closedHopStopsServingAndIgnoresLaterVerdicts() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host relayHost = host(key);
        RelayHop hop = hop(relayHost, key, RelayServicePolicy.AUTO);
        hop.onReachability(Reachability.PUBLIC);
        assertThat(relayHost.protocols()).contains(RelayService.HOP_PROTOCOL_ID);

        hop.close();
        hop.onReachability(Reachability.PUBLIC);

        assertThat(hop.serving()).isFalse();
        assertThat(relayHost.protocols()).doesNotContain(RelayService.HOP_PROTOCOL_ID);
    }

    @Test
    void policyWordsParseAndAWrongWordSaysWhatIsAccepted() {
        assertThat(RelayServicePolicy.parse("On")).isEqualTo(RelayServicePolicy.ON);
        assertThat(RelayServicePolicy.parse(" off ")).isEqualTo(RelayServicePolicy.OFF);
        assertThat(RelayServicePolicy.parse("auto")).isEqualTo(RelayServicePolicy.AUTO);
        assertThatThrownBy(() -> RelayServicePolicy.parse("maybe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on, off or auto")
                .hasMessageContaining("maybe");
    }

    private RelayHop hop(Host host, Ed25519PrivateKey key, RelayServicePolicy policy) {
        RelayHop hop = new RelayHop(host, key, RelayConfig.defaults(), clock, policy);
        open.add(hop);
        return hop;
    }

    private Host host(Ed25519PrivateKey key) throws IOException {
        Host host = Libp2p.newHost().identity(key).listen(List.of(LOOPBACK)).build();
        open.add(host);
        host.start();
        return host;
    }

    private RelayTransport client() throws IOException {
        RelayTransport relay = new RelayTransport(clock);
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new).transport(relay)
                .listen(List.of(LOOPBACK)).build();
        relay.bind(host);
        open.add(host);
        open.add(relay);
        host.start();
        return relay;
    }

    private static Multiaddr address(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }
}
