package org.parley.dht.record;

import org.parley.libp2p.core.PeerFaultException;

/** A DHT record failed validation: wrong namespace, malformed key or a value that does not verify. */
public final class InvalidRecordException extends PeerFaultException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
