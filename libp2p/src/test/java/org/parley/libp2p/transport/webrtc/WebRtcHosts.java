package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayService;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.parley.libp2p.transport.tcp.TcpTransport;

/**
 * Java hosts with TCP and loopback-only WebRTC, and relays for them, for tests and the benchmark;
 * closes them all.
 */
public final class WebRtcHosts implements AutoCloseable {

    /** Echoes a stream's bytes back until the writer half-closes. */
    public static final String ECHO = "/parley-test/echo/1.0.0";

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<AutoCloseable> open = new ArrayList<>();
    private final WebRtcConfig config;
    private final Map<Host, WebRtcTransport> transports = new ConcurrentHashMap<>();

    /** Hosts that upgrade relayed peers to WebRTC on their own. */
    public WebRtcHosts() {
        this(WebRtcConfig.defaults().withLoopbackOnly());
    }

    /** Hosts whose WebRTC transport has {@code config}. */
    public WebRtcHosts(WebRtcConfig config) {
        this.config = config;
    }

    /** A started host listening on loopback TCP and on /webrtc, serving {@link #ECHO}. */
    public Host start() throws IOException {
        WebRtcTransport webrtc = new WebRtcTransport(config);
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new)
                .transport(threads -> webrtc)
                .listen(List.of(LOOPBACK, WebRtcTransport.LISTEN_ADDRESS))
                .build();
        open.add(0, host);
        webrtc.attach(host);
        transports.put(host, webrtc);
        host.start();
        serveEcho(host);
        return host;
    }

    /** A started host on loopback TCP that serves the relay hop protocol with go-libp2p's limits. */
    public Host startRelay() throws IOException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host host = Libp2p.newHost().identity(key).listen(List.of(LOOPBACK)).build();
        open.add(0, host);
        host.start();
        RelayService service = new RelayService(host, key, RelayConfig.defaults(), Clock.systemUTC());
        service.start();
        open.add(0, service);
        return host;
    }

    /**
     * A started host with TCP, the relay client and WebRTC, serving {@link #ECHO} on limited
     * connections too; with {@code relay}, it holds a reservation there and listens on its circuit.
     */
    public Host startWithRelayClient(Host relay) throws IOException {
        return startWithRelayClient(relay, true);
    }

    /** As {@link #startWithRelayClient(Host)}; without {@code acceptWebRtc} it refuses WebRTC signaled to it. */
    public Host startWithRelayClient(Host relay, boolean acceptWebRtc) throws IOException {
        WebRtcTransport webrtc = new WebRtcTransport(config);
        RelayTransport circuits = new RelayTransport(Clock.systemUTC());
        List<Multiaddr> listen = new ArrayList<>(List.of(LOOPBACK));
        if (acceptWebRtc) {
            listen.add(WebRtcTransport.LISTEN_ADDRESS);
        }
        if (relay != null) {
            listen.add(circuit(relay));
        }
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new)
                .transport(circuits)
                .transport(threads -> webrtc)
                .listen(listen)
                .build();
        circuits.bind(host);
        webrtc.attach(host);
        transports.put(host, webrtc);
        open.add(0, host);
        open.add(0, circuits);
        host.start();
        serveEcho(host);
        return host;
    }

    /** The WebRTC transport of a host this made. */
    public WebRtcTransport webRtcOf(Host host) {
        return transports.get(host);
    }

    /** {@code <relay tcp address>/p2p/<relay>/p2p-circuit}. */
    public static Multiaddr circuit(Host relay) {
        return tcpAddress(relay).encapsulate(Multiaddr.parse("/p2p-circuit"));
    }

    private static void serveEcho(Host host) {
        host.setHandler(ECHO, StreamHandler.acceptingLimited(stream -> {
            stream.in().transferTo(stream.out());
            stream.out().close();
        }));
    }

    /** The TCP address of {@code host}, with its peer id. */
    public static Multiaddr tcpAddress(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    /** Connects {@code a} to {@code b} over TCP, then over WebRTC signaled on that connection. */
    public static Connection connectOverWebRtc(Host a, Host b) throws IOException {
        Connection tcp = a.connect(tcpAddress(b));
        return a.connect(WebRtcTransport.upgradeAddress(tcp));
    }

    /** True if the connection runs over WebRTC. */
    public static boolean isWebRtc(Connection connection) {
        return connection.remoteAddress().components().stream().anyMatch(c -> c.protocol() == Protocol.WEBRTC);
    }

    /** Collects the host's connection events from now on. */
    public static BlockingQueue<HostEvent> events(Host host) {
        BlockingQueue<HostEvent> events = new LinkedBlockingQueue<>();
        host.subscribe(events::add);
        return events;
    }

    /** Waits for the first event of {@code type} whose connection is over WebRTC. */
    public static <T extends HostEvent> T awaitWebRtc(BlockingQueue<HostEvent> events, Class<T> type)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HostEvent event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("a %s over WebRTC within 30 s", type.getSimpleName()).isNotNull();
            if (type.isInstance(event) && isWebRtc(connectionOf(event))) {
                return type.cast(event);
            }
        }
    }

    private static Connection connectionOf(HostEvent event) {
        return switch (event) {
            case HostEvent.PeerConnected e -> e.connection();
            case HostEvent.PeerDisconnected e -> e.connection();
            case HostEvent.PeerIdentified e -> e.connection();
        };
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + closeable + " failed", e);
            }
        }
    }
}
