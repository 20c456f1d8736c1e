package org.parley.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.DhtMode;
import org.parley.dht.KadDht;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.SimNetwork;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** The DHT's mode changes reach the bus as {@code dht.mode} events (peer events: {@link EventsWebSocketTest}). */
class NodeEventBridgeTest {

    /** Only for the bus's delivery thread. */
    private static final long WAIT_SECONDS = 10;

    @Test
    void dhtModeChangesArePublishedUntilDetached() throws Exception {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        PeerRef ref = new PeerRef(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()),
                List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")));
        BlockingQueue<NodeEvent> received = new LinkedBlockingQueue<>();
        try (EventBus bus = new EventBus();
                KadDht dht = KadDht.builder(ref.id(), network.attach(ref))
                        .config(DhtConfig.defaults().withMode(DhtConfig.ModePolicy.AUTO)).build()) {
            bus.subscribe("test", received::add);
            dht.start();
            NodeEventBridge bridge = NodeEventBridge.attachDht(dht, bus);

            dht.setReachable(true);
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(new NodeEvent.DhtModeChanged(DhtMode.CLIENT, DhtMode.SERVER));

            bridge.close();
            dht.setReachable(false);
            assertThat(dht.mode()).isEqualTo(DhtMode.CLIENT);
            bus.publish(new NodeEvent.EventsDropped(0));
            // The marker published after the change arrives first: the change itself was not published.
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new NodeEvent.EventsDropped(0));
        }
    }
}
