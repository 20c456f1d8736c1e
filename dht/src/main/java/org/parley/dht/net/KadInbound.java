package org.parley.dht.net;

import java.util.Optional;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.peer.PeerId;

/**
 * Where a {@link KadNetwork} hands inbound requests: called on the network's thread for that
 * stream (a virtual thread), possibly many at once.
 */
@FunctionalInterface
public interface KadInbound {

    /**
     * Answers {@code request} from the authenticated {@code sender}.
     *
     * @return the response to write, or empty when the request gets none
     * @throws Libp2pException if the request is refused; the stream is closed without an answer
     */
    Optional<KadMessage> handle(PeerId sender, KadMessage request) throws Libp2pException;
}
