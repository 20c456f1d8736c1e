package org.parley.dht.host;

import org.parley.dht.KadDht;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.peer.PeerId;

/**
 * Feeds a DHT node what its host learns: every identified peer is offered to the routing table if
 * its identify lists {@code /ipfs/kad/1.0.0} (a DHT server), and dropped from it if it stopped
 * listing it. Identify results belong to a connection; when one of several connections to a peer
 * closes, the peer is checked again against what its remaining connections announced. Mode changes need nothing here: the network registers or removes the kad handler,
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
                recheck(host, dht, identified.peer());
            } else if (event instanceof HostEvent.PeerDisconnected gone && !gone.lastConnection()) {
                // The peer's protocols are those of its connections still open (a second process
                // with a copied key may have announced others): check the peer again.
                recheck(host, dht, gone.peer());
            }
        }));
    }

    private static void recheck(Host host, KadDht dht, PeerId peer) {
        PeerRef ref = new PeerRef(peer, host.peerstore().addresses(peer));
        dht.peerIdentified(ref, host.peerstore().supports(peer, KadProtocol.PROTOCOL_ID));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
