package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.core.StreamMuxer;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.ConnectionStats;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;
import org.parley.libp2p.protocol.ping.PingInitiator;
import org.parley.libp2p.protocol.ping.PingResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host}: listeners and dials over its transports, the upgrade, the connection registry
 * and its limits, inbound stream dispatch, identify and ping. Assembled by {@link HostAssembly}
 * from the parts it is given; it names no transport, security protocol or muxer. Thread safe.
 *
 * <p>Threads, all virtual and counted in {@link #threads()}: one accept loop per TCP listener, one
 * upgrade per inbound connection while it runs, one stream-accept loop per connection, one per
 * inbound stream (negotiation, then the handler), one identify per new connection, the event
 * dispatcher and the timer. The muxer runs its own reader per connection.
 */
final class DefaultHost implements Host {

    /** How long {@link #close()} waits for the host's threads; all are woken by closed sockets at once. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The longest gap between two idle checks; with shorter idle timeouts, a quarter of the
     * timeout, so a connection is closed at most 25% late.
     */
    static final Duration MAX_IDLE_CHECK_INTERVAL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(DefaultHost.class);

    private enum State { NEW, STARTED, CLOSED }

    private final PeerId peerId;
    private final List<Multiaddr> listenConfig;
    private final HostLimits limits;
    private final HostThreads threads;
    private final Clock clock;
    private final DefaultPeerstore peerstore;
    private final EventDispatcher events = new EventDispatcher();
    private final ConnectionRegistry registry;
    private final IdentifyService identify;
    private final StreamRouter router;
    /** Each protected peer to the reasons it is protected for; a peer with no reason left is removed. */
    private final ConcurrentHashMap<PeerId, Set<String>> protections = new ConcurrentHashMap<>();
    /** A live view: the connection manager's checks see protections as they change. */
    private final Set<PeerId> protectedPeers = protections.keySet();
    /** Raw connections in their upgrade, closed by {@link #close()} so no upgrade outlives the host. */
    private final Set<Duplex> upgrading = ConcurrentHashMap.newKeySet();
    private final ConnectionCounters counters = new ConnectionCounters();
    private final MisbehaviourLog faults = new MisbehaviourLog(System::nanoTime);
    private final HandshakeAdmission handshakes;
    private final ConnectionManager connectionManager;
    private final Transports transports;
    private final SecureTransport security;
    private final StreamMuxer muxer;
    private final ScheduledThreadPoolExecutor timer;
    private final Upgrader upgrader;
    private final Dialer dialer;
    private final RelayedRetirement retirement;
    private final List<TransportListener> listeners = new CopyOnWriteArrayList<>();
    private final Object stateLock = new Object();
    /** Written under {@link #stateLock}, read without it. */
    private volatile State state = State.NEW;
    private volatile List<Multiaddr> listenAddresses = List.of();

    /**
     * @param transports made with the host's thread factory, so their accept loops are counted
     * @param security secures connections of transports that do not secure their own
     * @param muxer multiplexes connections of transports that do not multiplex their own
     */
    DefaultHost(PrivateKey identity, List<Transport.Factory> transports, SecureTransport security, StreamMuxer muxer,
            List<Multiaddr> listen, String agentVersion, String protocolVersion, HostLimits limits, Clock clock) {
        this.peerId = PeerId.fromPublicKey(identity.publicKey());
        this.listenConfig = List.copyOf(listen);
        this.limits = limits;
        this.clock = clock;
        this.peerstore = new DefaultPeerstore(clock);
        this.threads = new HostThreads("host-" + shortId(peerId) + "-");
        this.registry = new ConnectionRegistry(limits, peerstore, events);
        this.identify = new IdentifyService(identity, protocolVersion, agentVersion, () -> listenAddresses,
                this::protocols, peerstore, registry, threads, faults);
        this.handshakes = new HandshakeAdmission(limits, counters, System::nanoTime);
        this.connectionManager = new ConnectionManager(limits, registry, protectedPeers, counters, threads, clock);
        List<Transport> made = new ArrayList<>();
        for (Transport.Factory factory : transports) {
            made.add(factory.create(threads.factory("accept")));
        }
        this.transports = new Transports(made);
        this.security = security;
        this.muxer = muxer;
        this.timer = new ScheduledThreadPoolExecutor(1, threads.factory("timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.upgrader = new Upgrader(security, muxer, limits.handshakeTimeout(), timer);
        this.dialer = new Dialer(peerId, this.transports, upgrader, registry, peerstore, limits, threads, upgrading,
                this::isRunning, this::started, clock);
        this.router = new StreamRouter(threads, faults);
        this.retirement = new RelayedRetirement(registry, timer, System::nanoTime);
        // Identify and ping are what a relayed connection is for until a direct one exists.
        router.put(Identify.PROTOCOL_ID, StreamHandler.acceptingLimited(identify.responder()));
        router.put(Identify.PUSH_PROTOCOL_ID, StreamHandler.acceptingLimited(identify.pushReceiver()));
        router.put(PingResponder.PROTOCOL_ID, StreamHandler.acceptingLimited(new PingResponder()));
    }

    @Override
    public void start() throws IOException {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("host " + peerId + " was already " + state.name().toLowerCase());
            }
            // Running before the listeners bind, so the first accepted connection is served.
            state = State.STARTED;
        }
        events.start(threads);
        try {
            List<Multiaddr> bound = new ArrayList<>();
            for (Multiaddr address : listenConfig) {
                TransportListener listener = transports.listen(address, this::accepted);
                listeners.add(listener);
                bound.addAll(listener.addresses());
            }
            listenAddresses = List.copyOf(new LinkedHashSet<>(bound));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        identify.listenAddressesChanged();
        if (!isRunning()) {
            // Closed while starting; close() may have missed the listeners bound meanwhile.
            listeners.forEach(TransportListener::close);
            throw new IllegalStateException("host " + peerId + " was closed while starting");
        }
        long check = Math.min(MAX_IDLE_CHECK_INTERVAL.toNanos(), Math.max(1, limits.idleTimeout().toNanos() / 4));
        timer.scheduleWithFixedDelay(this::closeIdleConnections, check, check, TimeUnit.NANOSECONDS);
        long trim = connectionManager.checkInterval().toNanos();
        timer.scheduleWithFixedDelay(connectionManager::trim, trim, trim, TimeUnit.NANOSECONDS);
        log.info("host {} listening on {}", peerId, listenAddresses);
    }

    @Override
    public List<Multiaddr> listen(Multiaddr address) throws IOException {
        requireStarted();
        TransportListener listener = transports.listen(address, this::accepted);
        listeners.add(listener);
        synchronized (stateLock) {
            LinkedHashSet<Multiaddr> all = new LinkedHashSet<>(listenAddresses);
            all.addAll(listener.addresses());
            listenAddresses = List.copyOf(all);
        }
        if (!isRunning()) {
            // Closed meanwhile; close() may have missed this listener.
            listener.close();
            throw new ConnectionClosedException("host " + peerId + " is closed");
        }
        identify.listenAddressesChanged();
        identify.localStateChanged();
        log.info("host {} also listening on {}", peerId, listener.addresses());
        return listener.addresses();
    }

    @Override
    public PeerId peerId() {
        return peerId;
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        return listenAddresses;
    }

    @Override
    public Connection connect(Multiaddr address) throws IOException {
        requireStarted();
        return dialer.connect(address);
    }

    @Override
    public Connection connect(PeerId peer) throws IOException {
        requireStarted();
        return dialer.connect(peer, null);
    }

    @Override
    public Stream newStream(PeerId peer, String... protocols) throws IOException {
        return connect(peer).newStream(List.of(protocols));
    }

    @Override
    public void setHandler(String protocolId, StreamHandler handler) {
        if (router.put(protocolId, handler)) {
            protocolsChanged();
        }
    }

    @Override
    public void removeHandler(String protocolId) {
        if (router.remove(protocolId)) {
            protocolsChanged();
        }
    }

    @Override
    public Set<String> protocols() {
        return router.protocols();
    }

    @Override
    public Peerstore peerstore() {
        return peerstore;
    }

    @Override
    public Subscription subscribe(Consumer<HostEvent> subscriber) {
        return events.subscribe(Objects.requireNonNull(subscriber, "subscriber"));
    }

    @Override
    public Duration ping(PeerId peer) throws IOException {
        HostConnection connection = (HostConnection) connect(peer);
        connection.pingLock().lock();
        try (PingInitiator ping = new PingInitiator(connection.newStream(List.of(PingInitiator.PROTOCOL_ID)))) {
            Duration rtt = ping.ping();
            peerstore.recordLatency(peer, rtt);
            return rtt;
        } finally {
            connection.pingLock().unlock();
        }
    }

    @Override
    public List<Connection> connections() {
        return List.copyOf(registry.all());
    }

    @Override
    public List<Connection> connections(PeerId peer) {
        return registry.of(peer);
    }

    @Override
    public void protect(PeerId peer, String tag) {
        protections.compute(peer, (p, tags) -> {
            Set<String> next = tags == null ? ConcurrentHashMap.newKeySet() : tags;
            next.add(tag);
            return next;
        });
    }

    @Override
    public boolean unprotect(PeerId peer, String tag) {
        Set<String> left = protections.computeIfPresent(peer, (p, tags) -> {
            tags.remove(tag);
            return tags.isEmpty() ? null : tags;
        });
        return left != null;
    }

    @Override
    public ConnectionStats connectionStats() {
        return new ConnectionStats(registry.size(), handshakes.pending(), limits.effectiveLowWater(),
                limits.effectiveHighWater(), limits.maxConnections(), counters.refused(), counters.closed(),
                faults.total());
    }

    @Override
    public void close() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        shutdown();
        log.info("host {} closed", peerId);
    }

    /** The host's threads, for tests in this package that prove none is left behind. */
    HostThreads threads() {
        return threads;
    }

    @Override
    public String toString() {
        return "Host[" + peerId + "]";
    }

    // ---- accepting

    /** Called on a listener's accept thread: admit the raw connection to an upgrade, or close it. */
    private void accepted(RawConnection raw) {
        if (!isRunning()) {
            raw.close();
            return;
        }
        if (registry.size() >= limits.maxConnections() && !connectionManager.canMakeRoom()) {
            counters.refused(ConnectionStats.Refusal.HOST_FULL);
            log.debug("refusing inbound connection from {}: {} connections open of {}", raw.remoteAddress(),
                    registry.size(), limits.maxConnections());
            raw.close();
            return;
        }
        HandshakeAdmission.Ticket ticket = handshakes.admit(raw, AdmissionKey.of(raw.remoteAddress()));
        if (ticket == null) {
            log.debug("refusing inbound connection from {}: its address, subnet or the host has no handshake slot",
                    raw.remoteAddress());
            raw.close();
            return;
        }
        upgrading.add(raw);
        threads.start("upgrade-in", () -> upgradeInbound(raw, ticket));
    }

    private void upgradeInbound(RawConnection raw, HandshakeAdmission.Ticket ticket) {
        Upgrader.Upgraded upgraded;
        try {
            if (!isRunning()) {
                raw.close();
                return;
            }
            upgraded = upgrader.inbound(ticket.watch(raw));
        } catch (PeerFaultException e) {
            faults.report("inbound connection from {} failed its upgrade: {}", raw.remoteAddress(), e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            log.debug("inbound connection from {} ended during its upgrade: {}", raw.remoteAddress(), e.toString());
            return;
        } finally {
            upgrading.remove(raw);
            ticket.release();
        }
        HostConnection connection = new HostConnection(upgraded, raw, false, clock);
        ConnectionRegistry.Admission admission = registry.admit(connection);
        if (admission == ConnectionRegistry.Admission.HOST_FULL && connectionManager.makeRoom()) {
            admission = registry.admit(connection);
        }
        switch (admission) {
            case ADMITTED -> {
                started(connection);
                if (registry.size() > limits.effectiveHighWater()) {
                    threads.start("trim", connectionManager::trim);
                }
            }
            case PEER_FULL -> {
                counters.refused(ConnectionStats.Refusal.PEER_FULL);
                log.debug("closing {}: {} already has {} connections", connection, connection.remotePeer(),
                        limits.maxConnectionsPerPeer());
                connection.close();
            }
            case HOST_FULL -> {
                counters.refused(ConnectionStats.Refusal.HOST_FULL);
                log.debug("closing {}: {} connections open", connection, limits.maxConnections());
                connection.close();
            }
        }
    }

    // ---- connection life

    /** Starts serving an admitted connection: its stream-accept loop and the identify of its peer. */
    private HostConnection started(HostConnection connection) {
        if (!isRunning()) {
            connection.close();
        }
        threads.start("streams-" + connection.tag(), () -> {
            try {
                router.acceptStreams(connection);
            } finally {
                connection.close();
                registry.remove(connection);
            }
        });
        threads.start("identify-" + connection.tag(), () -> identify.identify(connection));
        retirement.directUp(connection);
        return connection;
    }

    /** Closes connections idle for longer than the limit; run by the timer, and by tests with a fake clock. */
    void closeIdleConnections() {
        long now = clock.millis();
        for (HostConnection connection : registry.all()) {
            if (!protectedPeers.contains(connection.remotePeer())
                    && connection.idleTime(now).compareTo(limits.idleTimeout()) > 0) {
                log.debug("closing {}: no streams for {} ms", connection, limits.idleTimeout().toMillis());
                threads.start("idle-close", connection::close);
            }
        }
    }

    private void protocolsChanged() {
        if (isRunning()) {
            identify.localStateChanged();
        }
    }

    // ---- life cycle

    private void shutdown() {
        for (TransportListener listener : listeners) {
            listener.close();
        }
        for (Duplex raw : upgrading) {
            raw.close();
        }
        for (HostConnection connection : registry.all()) {
            connection.close();
        }
        timer.shutdownNow();
        // Wait for everything but the dispatcher, so it still delivers the disconnect events.
        try {
            threads.awaitAtMost(events.isDispatcherThread() ? 0 : 1, CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        threads.awaitAll(CLOSE_TIMEOUT);
    }

    private boolean isRunning() {
        return state == State.STARTED;
    }

    /**
     * Dialing before start is a caller bug; dialing after close is the ordinary race of work still
     * running at shutdown, so it fails quietly like any closed connection.
     */
    private void requireStarted() throws ConnectionClosedException {
        State now = state;
        if (now == State.CLOSED) {
            throw new ConnectionClosedException("host " + peerId + " is closed");
        }
        if (now != State.STARTED) {
            throw new IllegalStateException("host " + peerId + " is " + now.name().toLowerCase()
                    + "; dialing needs a started host");
        }
    }

    private static String shortId(PeerId peer) {
        String text = peer.toBase58();
        return text.substring(Math.max(0, text.length() - 6));
    }
}
