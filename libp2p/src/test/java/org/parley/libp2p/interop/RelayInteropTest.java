package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.protocol.autonat.AutoNat;
import org.parley.libp2p.protocol.autonat.AutoNatService;
import org.parley.libp2p.protocol.autonat.wire.AutoNatStatus;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayService;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.parley.libp2p.transport.tcp.TcpTransport;

/**
 * Circuit relay v2 and AutoNAT against js-libp2p ({@code @libp2p/circuit-relay-v2},
 * {@code @libp2p/autonat}): a js relay between two Java hosts, a Java relay between two js peers.
 */
@Tag("interop")
class RelayInteropTest {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    private final List<AutoCloseable> open = new ArrayList<>();
    private RelayService relayService;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aJsRelayCarriesPingAndEchoBetweenTwoJavaHosts() throws Exception {
        JsPeer relay = track(JsPeer.builder().name("js-relay").relayServer().start());
        Multiaddr viaRelay = relay.addr().encapsulate(CIRCUIT);
        Host target = relayClient(viaRelay);
        target.setHandler(JsPeer.ECHO_PROTOCOL, StreamHandler.acceptingLimited(InteropProtocols::serveEcho));
        Host dialer = relayClient();

        assertThat(target.listenAddresses()).anyMatch(a -> a.toString().endsWith("/p2p-circuit"));
        Connection relayed = dialer.connect(viaRelay.withPeerId(target.peerId()));

        assertThat(relayed.transport()).isEqualTo("relayed");
        assertThat(relayed.limited()).isTrue();
        assertThat(dialer.ping(target.peerId())).isPositive();
        InteropProtocols.echoRoundTrip(relayed.newStream(List.of(JsPeer.ECHO_PROTOCOL)), 4096, 7);
    }

    @Test
    void aJavaRelayCarriesPingAndEchoBetweenTwoJsPeers() throws Exception {
        Multiaddr viaRelay = javaRelay();

        JsPeer target = track(JsPeer.builder().name("js-target").relayClient()
                .listen(LOOPBACK.toString()).listen(viaRelay.toString()).start());
        JsPeer dialer = track(JsPeer.builder().name("js-dialer").relayClient().start());

        assertThat(relayService.reservationCount()).isEqualTo(1);
        assertThat(target.command("addrs", java.util.Map.of()).path("addrs").toString())
                .contains(viaRelay.withPeerId(target.peerId()).toString());
        JsonNode dialed = dialer.dial(viaRelay.withPeerId(target.peerId()));
        assertThat(dialed.path("peer").asText()).isEqualTo(target.peerId().toString());
        assertThat(dialed.path("limited").asBoolean()).isTrue();
        // Echo first, while the circuit is the dialer's only connection to the target.
        dialer.echo(target.peerId(), 4096, 1);
        assertThat(dialer.ping(target.peerId())).isNotNegative();
    }

    @Test
    void aJavaHostReachesAJsPeerThroughAJavaRelay() throws Exception {
        Multiaddr viaRelay = javaRelay();
        JsPeer target = track(JsPeer.builder().name("js-target").relayClient()
                .listen(LOOPBACK.toString()).listen(viaRelay.toString()).start());
        Host dialer = relayClient();

        Connection relayed = dialer.connect(viaRelay.withPeerId(target.peerId()));

        assertThat(relayed.transport()).isEqualTo("relayed");
        assertThat(dialer.ping(target.peerId())).isPositive();
        InteropProtocols.echoRoundTrip(relayed.newStream(List.of(JsPeer.ECHO_PROTOCOL)), 4096, 11);
    }

    @Test
    void aJsPeerReachesAJavaHostThroughAJsRelay() throws Exception {
        JsPeer relay = track(JsPeer.builder().name("js-relay").relayServer().start());
        Multiaddr viaRelay = relay.addr().encapsulate(CIRCUIT);
        Host target = relayClient(viaRelay);
        target.setHandler(JsPeer.ECHO_PROTOCOL, StreamHandler.acceptingLimited(InteropProtocols::serveEcho));
        JsPeer dialer = track(JsPeer.builder().name("js-dialer").relayClient().start());

        JsonNode dialed = dialer.dial(viaRelay.withPeerId(target.peerId()));

        assertThat(dialed.path("peer").asText()).isEqualTo(target.peerId().toString());
        assertThat(dialed.path("limited").asBoolean()).isTrue();
        // While the circuit is the only connection, the echo must cross it.
        assertThat(target.connections(dialer.peerId())).extracting(Connection::transport).containsExactly("relayed");
        dialer.echo(target.peerId(), 4096, 1);
        // Here js's ping opens a second, direct TCP connection to the Java host (it has learned its
        // address through identify); the ping must work either way.
        assertThat(dialer.ping(target.peerId())).isNotNegative();
    }

    @Test
    void aJsAutoNatServerUnderstandsAJavaDialRequest() throws Exception {
        JsPeer server = track(JsPeer.builder().name("js-autonat").autonat().start());
        Host host = track(Libp2p.newHost().identity(Ed25519PrivateKey.generate()).listen(List.of(LOOPBACK)).build());
        host.start();
        host.connect(server.addr());
        assertThat(host.peerstore().supports(server.peerId(), AutoNatService.PROTOCOL_ID)).isTrue();

        var answer = AutoNat.ask(host, server.peerId());

        // js dials back public addresses only, and 127.0.0.1 is not one: its exact refusal shows
        // that it read our DIAL and we read its DIAL_RESPONSE.
        assertThat(answer.status()).isEqualTo(AutoNatStatus.E_DIAL_REFUSED);
        assertThat(answer.statusText()).isEqualTo("no dialable addresses");
    }

    /** Starts a Java relay on loopback and returns its {@code .../p2p/<relay>/p2p-circuit} address. */
    private Multiaddr javaRelay() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host relayHost = track(Libp2p.newHost().identity(key).listen(List.of(LOOPBACK)).build());
        relayHost.start();
        relayService = track(new RelayService(relayHost, key, RelayConfig.defaults(), Clock.systemUTC()));
        relayService.start();
        return relayHost.listenAddresses().getFirst().withPeerId(relayHost.peerId()).encapsulate(CIRCUIT);
    }

    private Host relayClient(Multiaddr... extra) throws Exception {
        RelayTransport relay = new RelayTransport();
        List<Multiaddr> listen = new ArrayList<>(List.of(LOOPBACK));
        listen.addAll(List.of(extra));
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new).transport(relay).listen(listen).build();
        track(host);
        relay.bind(host);
        track(relay);
        host.start();
        return host;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }
}
