package org.parley.libp2p.core;

/** Our own side failed: a bug, a broken invariant or a local resource limit. */
public non-sealed class InternalFaultException extends Libp2pException {

    public InternalFaultException(String message) {
        super(message);
    }

    public InternalFaultException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.INTERNAL;
    }
}
