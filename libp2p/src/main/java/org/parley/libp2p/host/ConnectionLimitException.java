package org.parley.libp2p.host;

import org.parley.libp2p.core.InternalFaultException;

/**
 * A dial was refused because the host is at one of its {@link HostLimits}: a local resource limit,
 * not a fault of the peer. Retry later or close another connection first.
 */
public class ConnectionLimitException extends InternalFaultException {

    public ConnectionLimitException(String message) {
        super(message);
    }
}
