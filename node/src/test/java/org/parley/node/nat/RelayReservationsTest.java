package org.parley.node.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.protocol.autonat.Reachability;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayService;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.parley.libp2p.transport.tcp.TcpTransport;

class RelayReservationsTest {

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
    void aPrivateNodeReservesAtAConnectedRelayAndIsReachableThroughIt() throws IOException {
        Host relay = relay();
        Host plain = hostWithRelayClient();
        Host dialer = hostWithRelayClient();
        Host privateNode = hostWithRelayClient();
        privateNode.connect(address(plain));
        privateNode.connect(address(relay));
        RelayReservations reservations = reservations(privateNode);

        reservations.onReachability(Reachability.PRIVATE);
        reservations.reserveMore();

        assertThat(reservations.relays()).as("only the peer serving the hop protocol").containsExactly(relay.peerId());
        List<Multiaddr> circuits = privateNode.listenAddresses().stream().filter(RelayReservationsTest::isCircuit)
                .toList();
        assertThat(circuits).isNotEmpty();
        Connection relayed = dialer.connect(circuits.getFirst().withPeerId(privateNode.peerId()));
        assertThat(relayed.remotePeer()).isEqualTo(privateNode.peerId());
        assertThat(relayed.limited()).isTrue();
        assertThat(dialer.ping(privateNode.peerId())).isPositive();
    }

    @Test
    void aPublicNodeReservesNothing() throws IOException {
        Host relay = relay();
        Host publicNode = hostWithRelayClient();
        publicNode.connect(address(relay));
        RelayReservations reservations = reservations(publicNode);

        reservations.onReachability(Reachability.PUBLIC);
        reservations.reserveMore();

        assertThat(reservations.relays()).isEmpty();
        assertThat(publicNode.listenAddresses()).noneMatch(RelayReservationsTest::isCircuit);
    }

    @Test
    void reservesAtNoMoreThanTheLimitOfRelays() throws IOException {
        Host privateNode = hostWithRelayClient();
        for (int i = 0; i <= RelayReservations.MAX_RELAYS; i++) {
            privateNode.connect(address(relay()));
        }
        RelayReservations reservations = reservations(privateNode);

        reservations.onReachability(Reachability.PRIVATE);
        reservations.reserveMore();

        assertThat(reservations.relays()).hasSize(RelayReservations.MAX_RELAYS);
    }

    private RelayReservations reservations(Host host) {
        RelayReservations reservations = new RelayReservations(host);
        open.add(reservations);
        reservations.start();
        return reservations;
    }

    private Host relay() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host host = Libp2p.newHost().identity(key).listen(List.of(LOOPBACK)).build();
        open.add(host);
        host.start();
        RelayService service = new RelayService(host, key, RelayConfig.defaults(), clock);
        service.start();
        open.add(service);
        return host;
    }

    private Host hostWithRelayClient() throws IOException {
        RelayTransport relay = new RelayTransport(clock);
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new).transport(relay)
                .listen(List.of(LOOPBACK)).build();
        relay.bind(host);
        open.add(host);
        open.add(relay);
        host.start();
        return host;
    }

    private static Multiaddr address(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    private static boolean isCircuit(Multiaddr address) {
        return address.components().stream().anyMatch(part -> part.protocol() == Protocol.P2P_CIRCUIT);
    }
}
