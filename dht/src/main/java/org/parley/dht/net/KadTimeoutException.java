package org.parley.dht.net;

import org.parley.libp2p.core.ConnectionClosedException;

/** A kad request got no answer in time: the peer is gone, overloaded or the message was lost. */
public final class KadTimeoutException extends ConnectionClosedException {

    public KadTimeoutException(String message) {
        super(message);
    }
}
