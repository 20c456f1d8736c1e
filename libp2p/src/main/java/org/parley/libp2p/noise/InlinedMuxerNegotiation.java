package org.parley.libp2p.noise;

import java.util.List;
import org.parley.libp2p.core.PeerFaultException;

/**
 * The muxer choice of libp2p/specs connections/inlined-muxer-negotiation.md: the responder lists
 * its muxers in message 2, the initiator its own in message 3, and both pick the first of the
 * initiator's list that the responder also listed. Stateless.
 */
final class InlinedMuxerNegotiation {

    private InlinedMuxerNegotiation() {}

    /**
     * The agreed muxer, or null when either side listed none (then multistream-select decides
     * after the handshake).
     *
     * @throws PeerFaultException if both sides listed muxers but none in common
     */
    static String select(List<String> initiatorMuxers, List<String> responderMuxers) throws PeerFaultException {
        if (initiatorMuxers.isEmpty() || responderMuxers.isEmpty()) {
            return null;
        }
        for (String muxer : initiatorMuxers) {
            if (responderMuxers.contains(muxer)) {
                return muxer;
            }
        }
        throw new PeerFaultException("no common stream muxer in the Noise handshake: initiator listed "
                + initiatorMuxers + ", responder listed " + responderMuxers);
    }
}
