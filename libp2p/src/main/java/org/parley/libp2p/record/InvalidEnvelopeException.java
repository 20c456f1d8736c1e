package org.parley.libp2p.record;

import org.parley.libp2p.core.PeerFaultException;

/**
 * A signed envelope, or the record inside it, that a peer sent and that must not be trusted: too
 * large, malformed, badly signed, of the wrong type, or signed by a key other than the record's peer.
 */
public class InvalidEnvelopeException extends PeerFaultException {

    public InvalidEnvelopeException(String message) {
        super(message);
    }

    public InvalidEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
