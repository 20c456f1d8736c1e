package org.parley.libp2p.multiaddr;

/**
 * Multiaddr text that cannot be parsed: an unknown protocol name, a missing or malformed value, or
 * an address over the size limit. Thrown for local input (configuration, command line); binary
 * input from peers fails with {@link org.parley.libp2p.core.PeerFaultException} instead.
 */
public final class InvalidMultiaddrException extends IllegalArgumentException {

    public InvalidMultiaddrException(String message) {
        super(message);
    }

    public InvalidMultiaddrException(String message, Throwable cause) {
        super(message, cause);
    }
}
