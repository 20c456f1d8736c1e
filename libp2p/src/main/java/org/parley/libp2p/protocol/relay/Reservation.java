package org.parley.libp2p.protocol.relay;

import java.time.Instant;
import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.wire.RelayLimit;

/**
 * A reservation a relay granted us: until when, the circuit addresses others can dial us at, and
 * the limit of each circuit.
 *
 * @param circuitAddresses {@code <relay address>/p2p/<relay>/p2p-circuit}, one per relay address;
 *     a dialer appends {@code /p2p/<us>}
 */
public record Reservation(PeerId relay, Instant expires, List<Multiaddr> circuitAddresses, RelayLimit limit) {

    public Reservation {
        circuitAddresses = List.copyOf(circuitAddresses);
    }
}
