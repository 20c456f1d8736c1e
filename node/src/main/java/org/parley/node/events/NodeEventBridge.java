package org.parley.node.events;

import org.parley.dht.DhtModeListener;
import org.parley.dht.KadDht;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;

/**
 * Feeds the host's peer events and the DHT's mode changes into the {@link EventBus} as
 * {@link NodeEvent}s. Publishing never blocks, so the host's dispatcher thread is never held up.
 * Closing it detaches both. Thread safe.
 */
public final class NodeEventBridge implements AutoCloseable {

    private final Subscription hostSubscription;
    private final KadDht dht;
    private final DhtModeListener modeListener;

    private NodeEventBridge(Subscription hostSubscription, KadDht dht, DhtModeListener modeListener) {
        this.hostSubscription = hostSubscription;
        this.dht = dht;
        this.modeListener = modeListener;
    }

    public static NodeEventBridge attach(Host host, KadDht dht, EventBus bus) {
        Subscription subscription = host.subscribe(event -> {
            switch (event) {
                case HostEvent.PeerConnected c -> bus.publish(new NodeEvent.PeerConnected(
                        c.peer(), c.connection().remoteAddress(), !c.connection().isInitiator()));
                case HostEvent.PeerDisconnected d -> bus.publish(new NodeEvent.PeerDisconnected(
                        d.peer(), d.connection().remoteAddress(), d.lastConnection()));
                // Only the PeerId: what identify learnt (agent, protocols) is in GET /api/peers.
                case HostEvent.PeerIdentified i -> bus.publish(new NodeEvent.PeerIdentified(i.peer()));
            }
        });
        return attach(subscription, dht, bus);
    }

    /** Only the DHT's mode changes, for a DHT without a host (tests on the simulated network). */
    static NodeEventBridge attachDht(KadDht dht, EventBus bus) {
        return attach(() -> { }, dht, bus);
    }

    private static NodeEventBridge attach(Subscription hostSubscription, KadDht dht, EventBus bus) {
        DhtModeListener listener = (previous, current) -> bus.publish(new NodeEvent.DhtModeChanged(previous, current));
        dht.addModeListener(listener);
        return new NodeEventBridge(hostSubscription, dht, listener);
    }

    @Override
    public void close() {
        dht.removeModeListener(modeListener);
        hostSubscription.close();
    }
}
