package org.parley.node.network;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * What the node knows about one connected peer. Immutable.
 *
 * @param addresses the remote addresses of its connections, each ending in {@code /p2p/<PeerId>}
 * @param outbound whether this node dialed its first connection
 * @param agentVersion from identify, empty until the peer identified
 * @param latency the last ping round trip, empty until one was measured
 * @param transport the transport of the connection new streams use: an unlimited one if there is one
 * @param limited whether that connection is a relay's limited one
 * @param connections each open connection, with its transport
 * @param webRtcFailure while the peer stays relayed, why the upgrade to a direct WebRTC connection failed
 */
public record PeerStatus(PeerId peer, List<Multiaddr> addresses, boolean outbound, Optional<String> agentVersion,
        List<String> protocols, Optional<Duration> latency, String transport, boolean limited,
        List<ConnectionStatus> connections, Optional<String> webRtcFailure) {

    public PeerStatus {
        addresses = List.copyOf(addresses);
        protocols = List.copyOf(protocols);
        connections = List.copyOf(connections);
    }
}
