package org.parley.node.network;

import java.util.List;
import org.parley.dht.routing.PeerRef;
import org.parley.node.ParleyVersion;
import org.parley.node.api.NodeRoutes;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.UserRendezvous;

/**
 * The network feature: the node's identity on the wire, its peers, ping and connect, served at
 * {@code /api/id}, {@code /api/peers}, {@code /api/ping} and {@code /api/connect}. A peer to ping
 * that the host knows nothing about is looked up in the DHT.
 */
public final class NetworkFeature implements Feature {

    @Override
    public String name() {
        return "network";
    }

    @Override
    public FeatureParts start(FeatureContext context) {
        PeerLocator locator = peer -> context.dht().dht().findPeer(peer).peer().map(PeerRef::addrs).orElse(List.of());
        NetworkService network = new NetworkService(context.host(), locator, context.webrtc());
        byte[] rendezvousKey = UserRendezvous.key(context.deviceKey().publicKey());
        IdentityService identities = IdentityService.of(context);
        return FeatureParts.routes(new NodeRoutes(network, ParleyVersion.agentVersion(), rendezvousKey,
                () -> identities.active().stream().findFirst()
                        .map(i -> new NodeRoutes.UserCard(i.userId().text(), identities.invite(i).format()))));
    }
}
