package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadCodec;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.dht.testing.ManualClock;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.host.Subscription;

/**
 * The idle outbound kad streams of a {@link HostKadNetwork} on real hosts over loopback: reused
 * while fresh by the injected clock, replaced once stale, and dropped when their connection closes.
 * (An in-memory host variant can join this once libp2p has a memory transport.)
 */
@Timeout(60)
class HostKadNetworkIdlePoolTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HostNodes nodes = new HostNodes();
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger streamsOpenedAtServer = new AtomicInteger();
    private Host client;
    private Host server;
    private HostKadNetwork network;
    private PeerRef serverRef;

    @BeforeEach
    void startTwoHosts() throws Exception {
        server = nodes.host(HostLimits.defaults());
        // A bare kad responder that counts the streams it is asked on and answers each request.
        server.setHandler(KadProtocol.PROTOCOL_ID, stream -> {
            streamsOpenedAtServer.incrementAndGet();
            KadMessage request;
            while ((request = KadCodec.read(stream.in())) != null) {
                KadCodec.write(stream.out(), KadMessage.findNode(request.key()));
            }
            stream.close();
        });
        client = nodes.host(HostLimits.defaults());
        network = nodes.keep(new HostKadNetwork(client, clock));
        serverRef = new PeerRef(server.peerId(), server.listenAddresses());
    }

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    @Test
    void aFreshIdleStreamIsReusedAndAStaleOneReplaced() throws Exception {
        ask();
        ask();
        assertThat(streamsOpenedAtServer).hasValue(1);
        assertThat(network.idleStreams()).isEqualTo(1);

        clock.advance(HostKadNetwork.OUTBOUND_IDLE_REUSE);
        ask();

        assertThat(streamsOpenedAtServer).hasValue(2);
        assertThat(network.idleStreams()).isEqualTo(1);
    }

    @Test
    void aClosedConnectionsIdleStreamIsDroppedFromThePool() throws Exception {
        ask();
        assertThat(network.idleStreams()).isEqualTo(1);

        CountDownLatch disconnected = new CountDownLatch(1);
        // Subscribed after the network, so on the host's in-order dispatcher the network saw the
        // event before this latch opens.
        try (Subscription ignored = client.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected lost && lost.peer().equals(server.peerId())) {
                disconnected.countDown();
            }
        })) {
            server.connections(client.peerId()).forEach(Connection::close);
            assertThat(disconnected.await(20, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(network.idleStreams()).isZero();
        assertThat(ask().key()).containsExactly(1, 2, 3);
        assertThat(streamsOpenedAtServer).hasValue(2);
    }

    private KadMessage ask() throws Exception {
        KadMessage answer = network.request(serverRef, KadMessage.findNode(new byte[] {1, 2, 3}), TIMEOUT);
        assertThat(answer.type()).isEqualTo(KadMessage.Type.FIND_NODE);
        return answer;
    }
}
