package org.parley.libp2p.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.parley.libp2p.peer.PeerId;

/** A security protocol (for example {@code /noise}) that turns a raw connection into a {@link SecureChannel}. */
public interface SecureTransport {

    /** The multistream-select id of this protocol. */
    String protocolId();

    /**
     * Runs the handshake as the dialer. Fails with a {@link PeerFaultException} if the remote is not
     * {@code expectedPeer} (when given).
     *
     * @param localMuxers the muxers to offer in the handshake, in preference order (may be empty)
     */
    SecureChannel secureOutbound(Duplex raw, PeerId expectedPeer, List<String> localMuxers, Duration timeout)
            throws IOException;

    /** Runs the handshake as the listener. */
    SecureChannel secureInbound(Duplex raw, List<String> localMuxers, Duration timeout) throws IOException;
}
