package org.parley.libp2p.transport.webrtc;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A WebRTC connection as the host adopts it: already authenticated and multiplexed. The remote's
 * identity is the one of the libp2p connection the SDPs were exchanged over; DTLS then proves the
 * peer holds the certificate whose fingerprint its SDP named, so no Noise handshake runs (libp2p
 * webrtc/webrtc.md). Its streams are data channels. Thread safe.
 */
public final class WebRtcConnection implements SecuredMuxedConnection {

    /** The muxer name reported for these connections, as js-libp2p reports it. */
    public static final String MUXER = "/webrtc";
    /** What {@link #transport()} reports for every WebRTC connection. */
    public static final String TRANSPORT = "webrtc";

    private final WebRtcSession session;
    private final Identity identity;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;

    WebRtcConnection(WebRtcSession session, PeerId remotePeer, PublicKey remoteKey, Multiaddr localAddress,
            Multiaddr remoteAddress) {
        this.session = session;
        this.identity = new Identity(remotePeer, remoteKey);
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public SecureChannel channel() {
        return identity;
    }

    @Override
    public MuxedSession session() {
        return session;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    /** There is no byte stream under a WebRTC connection: its data goes through {@link #session()}. */
    @Override
    public InputStream in() {
        throw new UnsupportedOperationException("a WebRTC connection carries data only in its streams");
    }

    @Override
    public OutputStream out() {
        throw new UnsupportedOperationException("a WebRTC connection carries data only in its streams");
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "WebRTC connection to " + identity.remotePeer() + " at " + remoteAddress;
    }

    /** Who the remote is, as the signaling connection authenticated it. */
    private record Identity(PeerId remotePeer, PublicKey remotePublicKey) implements SecureChannel {
        @Override
        public String earlyMuxer() {
            return MUXER;
        }

        @Override
        public List<String> remoteMuxers() {
            return List.of(MUXER);
        }

        @Override
        public InputStream in() {
            throw new UnsupportedOperationException("a WebRTC connection carries data only in its streams");
        }

        @Override
        public OutputStream out() {
            throw new UnsupportedOperationException("a WebRTC connection carries data only in its streams");
        }

        @Override
        public void close() {}
    }
}
