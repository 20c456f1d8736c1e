package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.libp2p.host.TestHosts.addressOf;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.slf4j.LoggerFactory;

/**
 * Regression: identify results were kept per peer, so a second process with a copied key that
 * connected as a DHT client made its server twin look "not serving kad" for as long as the
 * record lived, although the server stayed connected. Results now belong to a connection.
 */
class SharedKeyPeersTest {

    private static final String KAD = "/ipfs/kad/1.0.0";

    private final TestHosts hosts = new TestHosts();
    private final Logger warnings = (Logger) LoggerFactory.getLogger("org.parley.libp2p.host.internal.SharedKeyWarning");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Host copy;

    @AfterEach
    void closeHosts() {
        warnings.detachAppender(lines);
        if (copy != null) {
            copy.close();
        }
        hosts.close();
    }

    @Test
    void aClientCopyOfAServersKeyDoesNotHideTheServersProtocols() throws Exception {
        Host q = hosts.start();
        PrivateKey key = Ed25519PrivateKey.generate();
        Host server = startWithKey(key);
        server.setHandler(KAD, stream -> stream.in().readAllBytes());
        TestHosts.Events events = new TestHosts.Events(q);
        lines.start();
        warnings.addAppender(lines);

        server.connect(addressOf(q));
        events.next(HostEvent.PeerIdentified.class);
        copy = startWithKey(key);
        copy.connect(addressOf(q));
        events.next(HostEvent.PeerIdentified.class);

        assertThat(q.connections(server.peerId())).hasSize(2);
        assertThat(q.peerstore().supports(server.peerId(), KAD)).isTrue();
        awaitWarning();
        assertThat(List.copyOf(lines.list)).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("two processes are running with the same key"));

        copy.close();
        HostEvent.PeerDisconnected gone = events.next(HostEvent.PeerDisconnected.class);

        assertThat(gone.lastConnection()).isFalse();
        assertThat(q.peerstore().supports(server.peerId(), KAD)).isTrue();
        assertThat(q.connections(server.peerId())).hasSize(1);
    }

    @Test
    void whenTheServerCopyLeavesTheRemainingClientNoLongerCountsAsServing() throws Exception {
        Host q = hosts.start();
        PrivateKey key = Ed25519PrivateKey.generate();
        Host client = startWithKey(key);
        TestHosts.Events events = new TestHosts.Events(q);
        client.connect(addressOf(q));
        events.next(HostEvent.PeerIdentified.class);
        copy = startWithKey(key);
        copy.setHandler(KAD, stream -> stream.in().readAllBytes());
        copy.connect(addressOf(q));
        events.next(HostEvent.PeerIdentified.class);
        assertThat(q.peerstore().supports(client.peerId(), KAD)).isTrue();

        copy.close();
        events.next(HostEvent.PeerDisconnected.class);

        assertThat(q.peerstore().supports(client.peerId(), KAD)).isFalse();
        assertThat(q.peerstore().protocols(client.peerId())).contains("/ipfs/ping/1.0.0");
    }

    private Host startWithKey(PrivateKey key) {
        Host host = Libp2p.newHost().identity(key).listen(List.of(TestHosts.LOOPBACK)).build();
        try {
            host.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return host;
    }

    /** The warning is logged by the identify handler, which may finish just after the event went out. */
    private void awaitWarning() throws InterruptedException {
        long end = System.nanoTime() + TestHosts.WAIT.toNanos();
        while (lines.list.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
