package org.parley.libp2p.core;

/** A stream multiplexer protocol (for example {@code /yamux/1.0.0}) that wraps a secured connection. */
public interface StreamMuxer {

    /** The multistream-select id of this muxer. */
    String protocolId();

    /**
     * Starts a session over {@code connection}; the session owns it from now on.
     *
     * @param initiator true for the side that dialed the connection
     */
    MuxedSession newSession(Duplex connection, boolean initiator);
}
