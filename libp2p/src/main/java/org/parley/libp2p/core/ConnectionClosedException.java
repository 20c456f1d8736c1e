package org.parley.libp2p.core;

/** The connection or stream is closed, by either side or by a timeout; nobody is at fault. */
public non-sealed class ConnectionClosedException extends Libp2pException {

    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.CLOSED;
    }
}
