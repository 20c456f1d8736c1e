package org.parley.libp2p.core;

/** The stream was aborted (yamux RST) by the peer or by us; data in flight is lost. */
public class StreamResetException extends ConnectionClosedException {

    public StreamResetException(String message) {
        super(message);
    }
}
