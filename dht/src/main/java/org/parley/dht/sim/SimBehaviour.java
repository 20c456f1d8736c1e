package org.parley.dht.sim;

import java.util.Optional;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.peer.PeerId;

/**
 * How a simulated peer that runs no honest DHT code answers kad requests: the adversaries of the
 * simulation. Implementations are thread safe; they are called from many lookups at once.
 */
@FunctionalInterface
public interface SimBehaviour {

    /** The answer to {@code request}, or empty for none. */
    Optional<KadMessage> answer(PeerId sender, KadMessage request) throws Libp2pException;
}
