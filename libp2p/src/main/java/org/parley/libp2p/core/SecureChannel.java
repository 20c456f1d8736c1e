package org.parley.libp2p.core;

import java.util.List;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;

/**
 * An authenticated, encrypted connection (Noise today): the remote peer proved it holds the key
 * of {@link #remotePeer()}.
 */
public interface SecureChannel extends Duplex {

    PeerId remotePeer();

    PublicKey remotePublicKey();

    /**
     * The muxer agreed inside the handshake (Noise {@code stream_muxers} extension), or null when
     * it must still be negotiated with multistream-select.
     */
    String earlyMuxer();

    /** The muxers the remote listed in its handshake, in its order of preference (empty if none). */
    List<String> remoteMuxers();
}
