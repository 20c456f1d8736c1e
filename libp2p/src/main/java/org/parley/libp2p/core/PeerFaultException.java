package org.parley.libp2p.core;

/** The remote peer violated a protocol: a bad length, a bad signature, an unexpected frame. */
public non-sealed class PeerFaultException extends Libp2pException {

    public PeerFaultException(String message) {
        super(message);
    }

    public PeerFaultException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.PEER_FAULT;
    }
}
