package org.parley.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.protocol.autonat.wire.AutoNatMessage;
import org.parley.libp2p.protocol.autonat.wire.AutoNatStatus;

/** AutoNAT v1 between hosts on 127.0.0.1: dial-backs, the observed-IP rule, the throttle. */
class AutoNatLoopbackTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aServerThatDialsUsBackMakesUsPublic() throws Exception {
        Host server = server();
        Host client = host();
        client.connect(addressOf(server));
        ReachabilityTracker tracker = new ReachabilityTracker(1);
        List<Reachability> changes = new CopyOnWriteArrayList<>();
        tracker.onChange(changes::add);
        AutoNat autoNat = new AutoNat(client, tracker);
        open.add(autoNat);

        assertThat(autoNat.probeNow()).isEqualTo(Reachability.PUBLIC);
        assertThat(changes).containsExactly(Reachability.PUBLIC);
    }

    @Test
    void anAddressNobodyListensOnIsADialError() throws Exception {
        Host server = server();
        Host client = host();
        client.connect(addressOf(server));
        Multiaddr closed = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort());

        AutoNatMessage.DialResponse answer = AutoNat.ask(client, server.peerId(), List.of(closed));

        assertThat(answer.status()).isEqualTo(AutoNatStatus.E_DIAL_ERROR);
    }

    @Test
    void refusesToDialAnIpOtherThanTheObservedOne() throws Exception {
        Host server = server();
        Host client = host();
        client.connect(addressOf(server));
        Multiaddr elsewhere = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");

        AutoNatMessage.DialResponse answer = AutoNat.ask(client, server.peerId(), List.of(elsewhere));

        assertThat(answer.status()).isEqualTo(AutoNatStatus.E_DIAL_REFUSED);
        assertThat(answer.statusText()).isEqualTo("no address with the IP the request came from");
    }

    @Test
    void throttlesAPeerThatAsksTooOften() throws Exception {
        Host server = server();
        Host client = host();
        client.connect(addressOf(server));
        for (int i = 0; i < DialBackThrottle.PEER_LIMIT; i++) {
            assertThat(AutoNat.ask(client, server.peerId(), client.listenAddresses()).status())
                    .isEqualTo(AutoNatStatus.OK);
        }
        AutoNatMessage.DialResponse answer = AutoNat.ask(client, server.peerId(), client.listenAddresses());
        assertThat(answer.status()).isEqualTo(AutoNatStatus.E_DIAL_REFUSED);
        assertThat(answer.statusText()).isEqualTo("too many dial-backs; try later");
    }

    @Test
    void asksToBeDialedAtTheObservedIpOnEachListenPort() {
        List<Multiaddr> listen = List.of(Multiaddr.parse("/ip4/192.168.1.5/tcp/4001"),
                Multiaddr.parse("/ip4/192.168.1.5/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit"));
        List<Multiaddr> observed = List.of(Multiaddr.parse("/ip4/203.0.113.9/tcp/53211"),
                Multiaddr.parse("/ip4/203.0.113.9/tcp/40777"));

        assertThat(AutoNat.candidates(listen, observed)).containsExactly(
                Multiaddr.parse("/ip4/192.168.1.5/tcp/4001"), Multiaddr.parse("/ip4/203.0.113.9/tcp/4001"));
    }

    @Test
    void identifyTellsEachConnectionWhereThePeerSawUs() throws Exception {
        Host server = server();
        Host client = host();
        var connection = client.connect(addressOf(server));

        assertThat(connection.observedAddress()).isNotNull();
        assertThat(connection.observedAddress().ipBytes()).isEqualTo(new byte[] {127, 0, 0, 1});
    }

    private Host server() throws IOException {
        Host host = host();
        AutoNatService service = new AutoNatService(host, Clock.systemUTC());
        service.start();
        open.add(service);
        return host;
    }

    private Host host() throws IOException {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        open.add(host);
        host.start();
        return host;
    }

    private static Multiaddr addressOf(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
