package org.parley.dht.sim;

import java.util.List;
import java.util.Optional;
import org.parley.dht.routing.KadId;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.peer.PeerId;

/**
 * The simulation's adversary: colluding peers that answer every lookup with wrong closer peers, the
 * k identities of their own Sybil pool closest to the key, which answer the same way. They never
 * name the target, a provider or a value, so a lookup that follows them converges on Sybils only:
 * the eclipse attack S/Kademlia's disjoint paths defend against. Their store requests are
 * swallowed. Immutable and thread safe.
 */
final class SybilAdversary implements SimBehaviour {

    private final SortedKeyspace sybils;
    private final int k;

    SybilAdversary(SortedKeyspace sybils, int k) {
        this.sybils = sybils;
        this.k = k;
    }

    @Override
    public Optional<KadMessage> answer(PeerId sender, KadMessage request) {
        return switch (request.type()) {
            case FIND_NODE, GET_PROVIDERS, GET_VALUE ->
                Optional.of(request.response(null, sybils.closest(KadId.ofKey(request.key()), k), List.of()));
            case PUT_VALUE, PING -> Optional.of(request);
            case ADD_PROVIDER -> Optional.empty();
        };
    }
}
