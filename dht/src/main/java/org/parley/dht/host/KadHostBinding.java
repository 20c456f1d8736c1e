package org.parley.dht.host;

import org.parley.dht.KadDht;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;

/**
 * Feeds a DHT node what its host learns: every identified peer is offered to the routing table if
 * its identify lists {@code /ipfs/kad/1.0.0} (a DHT server), and dropped from it if it stopped
 * listing it. Mode changes need nothing here: the network registers or removes the kad handler,
 * and the host announces that with an identify push. The other way round, FIND_NODE answers name
 * peers the host is connected to through {@link HostKadNetwork#knownAddresses}. Thread safe.
 */
public final class KadHostBinding implements AutoCloseable {

    private final Subscription subscription;

    private KadHostBinding(Subscription subscription) {
        this.subscription = subscription;
    }

    /** Starts feeding {@code dht} from {@code host}'s identify events. */
    public static KadHostBinding attach(Host host, KadDht dht) {
        return new KadHostBinding(host.subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified identified) {
                PeerRef peer = new PeerRef(identified.peer(), host.peerstore().addresses(identified.peer()));
                dht.peerIdentified(peer, host.peerstore().supports(identified.peer(), KadProtocol.PROTOCOL_ID));
            }
        }));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
