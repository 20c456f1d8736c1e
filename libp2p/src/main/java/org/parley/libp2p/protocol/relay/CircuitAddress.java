package org.parley.libp2p.protocol.relay;

import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A circuit address taken apart: {@code <relay address>/p2p/<relay>/p2p-circuit[/p2p/<target>]}.
 *
 * @param relayAddress the part before {@code /p2p-circuit}, ending in {@code /p2p/<relay>}
 * @param target the peer reached through the relay, or null when the address names none
 */
record CircuitAddress(Multiaddr relayAddress, PeerId relay, PeerId target) {

    private static final String CIRCUIT = "/p2p-circuit";

    /** The address up to and with {@code /p2p-circuit}. */
    Multiaddr circuit() {
        return relayAddress.encapsulate(Multiaddr.parse(CIRCUIT));
    }

    /**
     * Takes {@code address} apart, or returns null if it is not a circuit address through a named
     * relay with at most a target after {@code /p2p-circuit} (a {@code /webrtc} tail is not ours).
     */
    static CircuitAddress parse(Multiaddr address) {
        String text = address.toString();
        int at = text.indexOf(CIRCUIT + "/");
        if (at < 0 && !text.endsWith(CIRCUIT)) {
            return null;
        }
        if (at < 0) {
            at = text.length() - CIRCUIT.length();
        }
        if (at == 0) {
            return null;
        }
        Multiaddr relayPart = Multiaddr.parse(text.substring(0, at));
        PeerId relay = relayPart.peerId();
        if (relay == null) {
            return null;
        }
        String rest = text.substring(at + CIRCUIT.length());
        if (rest.isEmpty()) {
            return new CircuitAddress(relayPart, relay, null);
        }
        Multiaddr tail = Multiaddr.parse(rest);
        if (tail.components().size() != 1 || tail.peerId() == null) {
            return null;
        }
        return new CircuitAddress(relayPart, relay, tail.peerId());
    }
}
