package org.parley.libp2p.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A way to reach peers: TCP, an in-memory network for tests, later circuit relay and WebRTC. It
 * says which multiaddrs it handles, dials them and listens on them; the host picks a transport by
 * address and never names one. Thread safe.
 *
 * <p>Most transports hand over raw byte streams that the host secures (Noise) and multiplexes
 * (yamux). One whose {@link #securedAndMuxed()} is true hands over {@link SecuredMuxedConnection}s
 * and the host uses them as they are.
 */
public interface Transport {

    /**
     * Makes a transport whose long-lived threads (accept loops) come from the given factory, so
     * the host that owns the transport can count them and wait for them at close.
     */
    @FunctionalInterface
    interface Factory {
        Transport create(ThreadFactory threads);
    }

    /** A short name for messages and logs, for example {@code TCP}. */
    String name();

    /** True if {@link #dial} accepts {@code address} (with or without a trailing {@code /p2p/}). */
    boolean canDial(Multiaddr address);

    /** True if {@link #listen} accepts {@code address}. */
    boolean canListen(Multiaddr address);

    /** True if this transport's connections arrive authenticated and multiplexed (WebRTC), false for TCP. */
    boolean securedAndMuxed();

    /**
     * Opens a connection to {@code address}.
     *
     * @throws UnsupportedAddressException if {@link #canDial} is false for it
     * @throws java.net.ConnectException if nobody accepts at the address
     * @throws java.net.SocketTimeoutException if the connection is not up within {@code timeout}
     */
    RawConnection dial(Multiaddr address, Duration timeout) throws IOException;

    /**
     * Opens a connection to {@code address} that must reach {@code expected} (null: whoever
     * answers). The host calls this one, with the address stripped of its trailing {@code /p2p/}:
     * a transport that needs the peer to dial at all (a relay's circuit, WebRTC) takes it from
     * here. By default the peer is left to the host's handshake to check.
     */
    default RawConnection dial(Multiaddr address, PeerId expected, Duration timeout) throws IOException {
        return dial(address, timeout);
    }

    /**
     * The address of another connection to the same peer that a dial of {@code address} runs over
     * (WebRTC's signaling over a relayed connection), or null if this transport dials on its own.
     * The host opens that connection first when it has none open to the peer.
     */
    default Multiaddr dialsOver(Multiaddr address) {
        return null;
    }

    /**
     * Accepts connections at {@code address} until the listener is closed. Each is handed to
     * {@code acceptor}, which must pass it on quickly and never block: it runs on the transport's
     * accept thread (or the dialer's, for in-memory connections).
     *
     * @throws UnsupportedAddressException if {@link #canListen} is false for it
     * @throws java.net.BindException if the address is in use or not local
     */
    TransportListener listen(Multiaddr address, Consumer<RawConnection> acceptor) throws IOException;
}
