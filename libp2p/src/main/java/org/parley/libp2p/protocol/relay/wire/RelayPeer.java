package org.parley.libp2p.protocol.relay.wire;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** A peer as relay messages name it: the target of a CONNECT, or the initiator in a STOP. */
public record RelayPeer(PeerId id, List<Multiaddr> addresses) {

    public RelayPeer {
        addresses = List.copyOf(addresses);
    }

    public static RelayPeer of(PeerId id) {
        return new RelayPeer(id, List.of());
    }
}
