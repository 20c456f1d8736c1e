package org.parley.libp2p.core;

/**
 * A connection from a transport that secures and multiplexes it itself (WebRTC does: DTLS
 * authenticates the peer, SCTP data channels are the streams), so the host skips its own
 * upgrade. A {@link Transport} whose {@link Transport#securedAndMuxed()} is true hands over only
 * these. Thread safe.
 */
public interface SecuredMuxedConnection extends RawConnection {

    /** The authenticated channel: who the remote is, proven by the transport's handshake. */
    SecureChannel channel();

    /** The streams of this connection; the session owns the connection from now on. */
    MuxedSession session();
}
