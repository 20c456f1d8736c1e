package org.parley.libp2p.host;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * An upgraded connection to one authenticated peer (transport + Noise + yamux), direct or relayed.
 * Thread safe.
 */
public interface Connection extends AutoCloseable {

    PeerId remotePeer();

    PublicKey remotePublicKey();

    /** Our end of the transport, for example {@code /ip4/127.0.0.1/tcp/4001}. */
    Multiaddr localAddress();

    /** The remote end of the transport as we see it (without {@code /p2p/}). */
    Multiaddr remoteAddress();

    /**
     * The kind of transport underneath: {@code tcp}, {@code memory}, {@code relayed} (a circuit
     * through a relay), {@code webrtc}.
     */
    String transport();

    /**
     * True if the connection runs under a relay's limits of time and bytes. Only identify, ping and
     * handlers that accept limited connections ({@link StreamHandler#acceptsLimitedConnections()})
     * are served on it.
     */
    boolean limited();

    /**
     * Our own address as the peer sees it on this connection, from its identify message (behind a
     * NAT, the NAT's public IP), or null before identify or if the peer did not say.
     */
    default Multiaddr observedAddress() {
        return null;
    }

    /** True if we dialed this connection (we are the Noise initiator and yamux client). */
    boolean isInitiator();

    Instant openedAt();

    /**
     * Opens a stream and negotiates the first of {@code protocols} the peer supports.
     *
     * @throws org.parley.libp2p.multistream.ProtocolNotSupportedException if it supports none
     */
    Stream newStream(List<String> protocols) throws IOException;

    int streamCount();

    boolean isOpen();

    /** Closes the connection and all its streams. Idempotent. */
    @Override
    void close();
}
