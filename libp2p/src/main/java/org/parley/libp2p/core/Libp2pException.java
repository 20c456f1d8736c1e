package org.parley.libp2p.core;

import java.io.IOException;

/**
 * The base of the three ways a libp2p operation fails; each calls for a different reaction.
 *
 * <ul>
 *   <li>{@link PeerFaultException}: the peer broke the protocol. Reset or disconnect, maybe penalize.
 *   <li>{@link InternalFaultException}: we have a bug or hit a local limit. Log loudly.
 *   <li>{@link ConnectionClosedException}: the connection or stream went away. Handle quietly.
 * </ul>
 */
public abstract sealed class Libp2pException extends IOException
        permits PeerFaultException, InternalFaultException, ConnectionClosedException {

    /** Which of the three kinds of failure this is, for logs and metrics. */
    public enum Kind { PEER_FAULT, INTERNAL, CLOSED }

    protected Libp2pException(String message) {
        super(message);
    }

    protected Libp2pException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract Kind kind();
}
