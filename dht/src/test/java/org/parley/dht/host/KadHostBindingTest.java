package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * Regression: a second process with a DHT server's key (a copied data directory) connected as a
 * DHT client; its identify made the node drop the server from its routing table and mark it "not
 * serving kad", and both stayed wrong long after the copy exited, although the server was still
 * connected. Identify results now belong to a connection, and the table re-checks the peer when
 * one of its connections closes.
 */
class KadHostBindingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HostNodes nodes = new HostNodes();

    @AfterEach
    void close() throws Exception {
        nodes.close();
    }

    @Test
    void aClientCopyOfAServersKeyDoesNotDropTheServerFromTheRoutingTable() throws Exception {
        HostNodes.Node q = nodes.node(HostNodes.CONFIG);
        PrivateKey key = Ed25519PrivateKey.generate();
        Host server = host(key);
        server.setHandler(KadProtocol.PROTOCOL_ID, stream -> stream.in().readAllBytes());
        server.connect(q.multiaddr());
        await(() -> q.dht().routingTable().find(server.peerId()).isPresent(), "server in the routing table");

        Host copy = host(key);
        copy.connect(q.multiaddr());
        await(() -> q.host().connections(server.peerId()).size() == 2, "both processes connected");
        assertThat(q.host().peerstore().supports(server.peerId(), KadProtocol.PROTOCOL_ID)).isTrue();
        assertThat(q.dht().routingTable().find(server.peerId())).isPresent();

        copy.close();
        await(() -> q.host().connections(server.peerId()).size() == 1, "the copy gone");

        assertThat(q.dht().routingTable().find(server.peerId())).isPresent();
        assertThat(q.host().peerstore().supports(server.peerId(), KadProtocol.PROTOCOL_ID)).isTrue();
    }

    @Test
    void whenAServerCopyLeavesTheRemainingClientIsDroppedFromTheRoutingTable() throws Exception {
        HostNodes.Node q = nodes.node(HostNodes.CONFIG);
        PrivateKey key = Ed25519PrivateKey.generate();
        Host client = host(key);
        client.connect(q.multiaddr());
        Host copy = host(key);
        copy.setHandler(KadProtocol.PROTOCOL_ID, stream -> stream.in().readAllBytes());
        copy.connect(q.multiaddr());
        await(() -> q.dht().routingTable().find(client.peerId()).isPresent(), "the server copy in the table");

        copy.close();

        await(() -> q.dht().routingTable().find(client.peerId()).isEmpty(), "the client dropped");
        assertThat(q.host().connections(client.peerId())).hasSize(1);
    }

    private Host host(PrivateKey key) throws Exception {
        Host host = Libp2p.newHost().identity(key).listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        return nodes.keep(host);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
