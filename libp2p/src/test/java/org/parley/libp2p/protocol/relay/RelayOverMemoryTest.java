package org.parley.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.parley.libp2p.transport.memory.MemoryNetwork;

/** The relay names no transport: the same circuit works between hosts on an in-memory network. */
class RelayOverMemoryTest {

    private final MemoryNetwork network = new MemoryNetwork();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void relaysBetweenHostsOnAMemoryNetwork() throws Exception {
        Ed25519PrivateKey relayKey = Ed25519PrivateKey.generate();
        Host relay = track(Libp2p.newHost().identity(relayKey).transport(network)
                .listen(List.of(network.newAddress())).build());
        relay.start();
        track(new RelayService(relay, relayKey, RelayConfig.defaults(), Clock.systemUTC())).start();
        Multiaddr circuit = relay.listenAddresses().getFirst().withPeerId(relay.peerId())
                .encapsulate(Multiaddr.parse("/p2p-circuit"));

        Host target = client(circuit);
        Host dialer = client();
        Connection relayed = dialer.connect(circuit.withPeerId(target.peerId()));

        assertThat(relayed.transport()).isEqualTo("relayed");
        assertThat(relayed.remotePeer()).isEqualTo(target.peerId());
        assertThat(dialer.ping(target.peerId())).isPositive();
    }

    private Host client(Multiaddr... extra) throws Exception {
        RelayTransport relay = new RelayTransport();
        List<Multiaddr> listen = new ArrayList<>(List.of(network.newAddress()));
        listen.addAll(List.of(extra));
        Host host = track(Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .transport(network).transport(relay).listen(listen).build());
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
