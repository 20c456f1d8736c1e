package org.parley.libp2p.transport.webrtc;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p WebRTC transport ({@code /webrtc}, webrtc/webrtc.md): a connection is signaled over an
 * existing libp2p connection to the peer with {@code /webrtc-signaling/0.0.1} and then runs
 * directly between the two, secured by DTLS and multiplexed by data channels, so
 * {@link #securedAndMuxed()} is true. Dials {@code <route>/webrtc/p2p/<peer>} over an open
 * connection to the peer (a relayed one, or any, such as TCP), preferring the one at the route;
 * when the host has none, it opens the route first ({@link #dialsOver}), so
 * {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>} dials through the relay and then
 * directly. Listening on {@code /webrtc} accepts connections others signal to us; listening on
 * {@code <circuit>/webrtc} announces that address. With {@link WebRtcConfig#autoUpgrade()}, peers
 * reached only through a relay are upgraded as soon as they identify as speaking signaling.
 *
 * <p>The transport needs its host to open and serve signaling streams: build the host with
 * {@code .transport(threads -> webrtc)} and {@code /webrtc} among its listen addresses, then call
 * {@link #attach(Host)} before {@code start()}. When the native library is missing
 * ({@link WebRtcSupport#status()}), it dials nothing, listens on {@code /webrtc} without accepting
 * and logs the reason once, so the host runs on its other transports. Thread safe.
 */
public final class WebRtcTransport implements Transport {

    /** The signaling protocol id. */
    public static final String SIGNALING_PROTOCOL = WebRtcSignaling.PROTOCOL;
    /** What to listen on to accept WebRTC connections. */
    public static final Multiaddr LISTEN_ADDRESS = Multiaddr.parse("/webrtc");

    /**
     * Signaling exchanges we answer at once. Each holds a native peer connection with its sockets
     * and threads until ICE succeeds or times out; 8 covers peers upgrading together while a
     * peer opening signaling streams in a loop is refused.
     */
    static final int MAX_INBOUND_SIGNALING = 8;

    private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);

    private final WebRtcConfig config;
    private final WebRtcSupport.Status status;
    private final Semaphore inboundSignaling = new Semaphore(MAX_INBOUND_SIGNALING);
    private volatile Host host;
    private volatile Consumer<RawConnection> acceptor;
    private volatile RelayedUpgrades upgrades;

    /** A transport with these settings; loads the native library if no transport did yet. */
    public WebRtcTransport(WebRtcConfig config) {
        this(config, WebRtcSupport.status());
    }

    /**
     * A transport with these settings that takes {@code status} as {@link WebRtcSupport#status()}
     * would give it; with an unavailable one it stays off, as without the native library (tests
     * of that case pass one).
     */
    public WebRtcTransport(WebRtcConfig config, WebRtcSupport.Status status) {
        this.config = Objects.requireNonNull(config, "config");
        this.status = status;
    }

    /**
     * The address that makes the host dial a WebRTC connection signaled over {@code connection}:
     * {@code <its remote address>/p2p/<peer>/webrtc}. Pass it to {@code Host.connect}; it has no
     * trailing {@code /p2p/}, so the host dials anew instead of returning {@code connection}, and
     * this transport still knows the peer from the route.
     */
    public static Multiaddr upgradeAddress(Connection connection) {
        return connection.remoteAddress().withoutPeerId().withPeerId(connection.remotePeer()).encapsulate(LISTEN_ADDRESS);
    }

    /**
     * Why the last automatic upgrade of {@code peer}'s relayed connection to WebRTC failed, while
     * the peer stays connected through the relay; empty if none failed (or none was tried).
     */
    public Optional<String> upgradeFailure(PeerId peer) {
        RelayedUpgrades watching = upgrades;
        return watching == null ? Optional.empty() : watching.failure(peer);
    }

    /** Whether this transport works here, and if not, why. */
    public WebRtcSupport.Status status() {
        return status;
    }

    /**
     * Connects the transport to its host: serves {@link #SIGNALING_PROTOCOL} (when WebRTC is
     * available) and dials signaling streams through it. Call once, before the host starts.
     */
    public void attach(Host owner) {
        this.host = Objects.requireNonNull(owner, "host");
        if (status.available() && config.autoUpgrade()) {
            RelayedUpgrades made = new RelayedUpgrades(owner);
            made.start();
            upgrades = made;
        }
        if (status.available()) {
            // Signaling is what a relayed (limited) connection is for: it must run there.
            owner.setHandler(SIGNALING_PROTOCOL, StreamHandler.acceptingLimited(this::onSignalingStream));
        }
    }

    @Override
    public String name() {
        return "WebRTC";
    }

    @Override
    public boolean canDial(Multiaddr address) {
        if (!status.available()) {
            return false;
        }
        List<Multiaddr.Component> components = address.withoutPeerId().components();
        return !components.isEmpty() && components.getLast().protocol() == Protocol.WEBRTC;
    }

    /**
     * {@code /webrtc} accepts connections; {@code <relay>/p2p/<relay>/p2p-circuit/webrtc} only
     * announces that this host takes WebRTC signaled through that relay (while it holds a
     * reservation there), so peers that find it know they can upgrade.
     */
    @Override
    public boolean canListen(Multiaddr address) {
        return address.equals(LISTEN_ADDRESS) || isRelayedAnnouncement(address);
    }

    /** {@code <circuit>/webrtc}: a route through a relay, with no peer after {@code /p2p-circuit}. */
    private static boolean isRelayedAnnouncement(Multiaddr address) {
        List<Multiaddr.Component> components = address.components();
        return components.size() >= 3 && components.getLast().protocol() == Protocol.WEBRTC
                && components.get(components.size() - 2).protocol() == Protocol.P2P_CIRCUIT;
    }

    @Override
    public boolean securedAndMuxed() {
        return true;
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        return dial(address, null, timeout);
    }

    /**
     * Signals a WebRTC connection to the peer over an open connection to it. The peer is
     * {@code expected}, else the address's trailing {@code /p2p/}, else the one its route ends in
     * ({@code <tcp>/p2p/<peer>/webrtc}, {@code <relay>/p2p/<relay>/p2p-circuit/p2p/<peer>/webrtc}).
     * The exchange gets the longer of {@code timeout} and {@link WebRtcConfig#connectTimeout()}: a
     * host's dial timeout is sized for a TCP connect, while ICE through NATs first asks the STUN
     * servers and then checks candidate pairs, which takes seconds.
     */
    @Override
    public RawConnection dial(Multiaddr address, PeerId expected, Duration timeout) throws IOException {
        if (!canDial(address)) {
            throw new UnsupportedAddressException(status.available()
                    ? "cannot dial " + address + " over WebRTC; expected <route>/webrtc/p2p/<peer>"
                    : status.describe(), List.of(address));
        }
        Host owner = requireHost();
        Multiaddr route = routeOf(address);
        PeerId peer = expected != null ? expected : address.peerId() != null ? address.peerId() : peerOfRoute(route);
        if (peer == null) {
            throw new UnsupportedAddressException("cannot dial " + address + " over WebRTC without knowing the peer;"
                    + " expected <route>/p2p/<peer>/webrtc or <route>/webrtc/p2p/<peer>", List.of(address));
        }
        Connection signalingConnection = signalingConnection(owner, peer, route);
        Stream stream = signalingConnection.newStream(List.of(SIGNALING_PROTOCOL));
        Duration allowed = timeout.compareTo(config.connectTimeout()) > 0 ? timeout : config.connectTimeout();
        return WebRtcSignaling.initiate(stream, remoteOf(signalingConnection), config, allowed);
    }

    /**
     * The route of {@code address} without its peer, which the host opens first when it has no
     * connection to the peer: {@code <relay>/p2p/<relay>/p2p-circuit} for
     * {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>}.
     */
    @Override
    public Multiaddr dialsOver(Multiaddr address) {
        if (!canDial(address)) {
            return null;
        }
        Multiaddr route = routeOf(address);
        if (route == null) {
            return null;
        }
        return peerOfRoute(route) != null ? route.withoutPeerId() : route;
    }

    @Override
    public TransportListener listen(Multiaddr address, Consumer<RawConnection> connections) throws IOException {
        if (!canListen(address)) {
            throw new UnsupportedAddressException("cannot listen on " + address + " over WebRTC; use /webrtc",
                    List.of(address));
        }
        if (isRelayedAnnouncement(address)) {
            if (!status.available()) {
                throw new UnsupportedAddressException(status.describe(), List.of(address));
            }
            return new Announcement(address);
        }
        if (!status.available()) {
            log.warn("{}; running without it", status.describe());
            return new Listener(null);
        }
        requireHost();
        this.acceptor = connections;
        return new Listener(connections);
    }

    /**
     * An open connection to {@code peer} that is not WebRTC, preferring one at {@code route}. The
     * host's dial of this very peer is under way (it called us), so dialing the route through the
     * host would wait for itself: the signaling connection must exist already.
     */
    private static Connection signalingConnection(Host owner, PeerId peer, Multiaddr route) throws IOException {
        List<Connection> candidates = owner.connections(peer).stream()
                .filter(Connection::isOpen)
                .filter(c -> !WebRtcConnection.TRANSPORT.equals(c.transport()))
                .toList();
        Multiaddr wanted = route == null ? null : route.withoutPeerId();
        return candidates.stream()
                .filter(c -> c.remoteAddress().withoutPeerId().equals(wanted))
                .findFirst()
                .or(() -> candidates.stream().findFirst())
                .orElseThrow(() -> new ConnectException("WebRTC to " + peer + " is signaled over an open connection"
                        + " to it, and there is none; connect to the peer first (directly or through a relay)"));
    }

    /**
     * The peer a route ends in, or null: a relayed route's last {@code /p2p/} is the peer only
     * after {@code /p2p-circuit}; before it, it is the relay's.
     */
    private static PeerId peerOfRoute(Multiaddr route) {
        if (route == null || route.peerId() == null) {
            return null;
        }
        List<Multiaddr.Component> components = route.components();
        boolean relayed = isRelayed(route);
        return !relayed || components.get(components.size() - 2).protocol() == Protocol.P2P_CIRCUIT
                ? route.peerId() : null;
    }

    /** The address before {@code /webrtc}, how the signaling connection is reached; null if none. */
    private static Multiaddr routeOf(Multiaddr address) {
        String text = address.withoutPeerId().toString();
        String before = text.substring(0, text.length() - LISTEN_ADDRESS.toString().length());
        return before.isEmpty() ? null : Multiaddr.parse(before);
    }

    private static boolean isRelayed(Multiaddr route) {
        return route.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    private void onSignalingStream(Stream stream) throws IOException {
        Consumer<RawConnection> target = acceptor;
        if (target == null) {
            // Not listening on /webrtc: refuse, so the dialer's attempt fails at once.
            stream.reset();
            return;
        }
        if (!inboundSignaling.tryAcquire()) {
            log.debug("refusing WebRTC signaling from {}: {} exchanges under way", stream.remotePeer(),
                    MAX_INBOUND_SIGNALING);
            stream.reset();
            return;
        }
        try {
            WebRtcConnection connection = WebRtcSignaling.respond(stream, remoteOf(stream.connection()), config,
                    config.connectTimeout());
            target.accept(connection);
        } finally {
            inboundSignaling.release();
        }
    }

    private static WebRtcSignaling.Remote remoteOf(Connection connection) {
        return new WebRtcSignaling.Remote(connection.remotePeer(), connection.remotePublicKey(),
                connection.localAddress(), connection.remoteAddress());
    }

    private Host requireHost() {
        Host owner = host;
        if (owner == null) {
            throw new IllegalStateException("the WebRTC transport needs its host: call attach(host) before start()");
        }
        return owner;
    }

    /** Announces a relayed {@code /webrtc} address until closed; connections arrive at {@code /webrtc}. */
    private record Announcement(Multiaddr address) implements TransportListener {
        @Override
        public List<Multiaddr> addresses() {
            return List.of(address);
        }

        @Override
        public void close() {}
    }

    /** Stops accepting; open WebRTC connections stay. */
    private final class Listener implements TransportListener {
        private final Consumer<RawConnection> registered;

        Listener(Consumer<RawConnection> registered) {
            this.registered = registered;
        }

        /** None yet: a /webrtc address is announced once the node has a relayed address to put before it. */
        @Override
        public List<Multiaddr> addresses() {
            return List.of();
        }

        @Override
        public void close() {
            if (registered != null && acceptor == registered) {
                acceptor = null;
            }
        }
    }
}
