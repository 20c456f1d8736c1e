package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SelfDialException;
import org.parley.libp2p.host.ConnectionLimitException;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;

/**
 * The host's outbound side: reuses an open connection or dials (with whichever of the host's
 * transports takes the address), racing a peer's addresses, and
 * lets concurrent callers for one peer share one dial; upgrades and admits the winner. Every
 * method blocks its caller until the connection is identified (or identify failed). Thread safe.
 */
final class Dialer {

    /**
     * Addresses of one peer dialed at once. Peers announce a few (IPv4, IPv6, LAN, public); racing
     * four finds the working one in one timeout without a burst of sockets per peer.
     */
    static final int MAX_PARALLEL_DIALS = 4;

    private final PeerId localPeer;
    private final Transports transports;
    private final Upgrader upgrader;
    private final ConnectionRegistry registry;
    private final DefaultPeerstore peerstore;
    private final HostLimits limits;
    private final HostThreads threads;
    private final Set<Duplex> upgrading;
    private final BooleanSupplier running;
    private final UnaryOperator<HostConnection> start;
    private final Clock clock;
    private final ConcurrentHashMap<PeerId, CompletableFuture<HostConnection>> pendingDials = new ConcurrentHashMap<>();

    /**
     * @param upgrading where raw connections are kept during their upgrade, so the host can close them
     * @param running false once the host is closing
     * @param start starts serving an admitted connection and returns it
     */
    Dialer(PeerId localPeer, Transports transports, Upgrader upgrader, ConnectionRegistry registry,
            DefaultPeerstore peerstore, HostLimits limits, HostThreads threads, Set<Duplex> upgrading,
            BooleanSupplier running, UnaryOperator<HostConnection> start, Clock clock) {
        this.localPeer = localPeer;
        this.transports = transports;
        this.upgrader = upgrader;
        this.registry = registry;
        this.peerstore = peerstore;
        this.limits = limits;
        this.threads = threads;
        this.upgrading = upgrading;
        this.running = running;
        this.start = start;
        this.clock = clock;
    }

    /**
     * Connects to whoever answers at {@code address}, or to the peer its {@code /p2p/} names.
     *
     * @throws org.parley.libp2p.core.UnsupportedAddressException if no transport can dial it
     * @throws SelfDialException if it names our own peer
     */
    HostConnection connect(Multiaddr address) throws IOException {
        PeerId expected = address.peerId();
        if (expected != null && address.withoutPeerId().components().isEmpty()) {
            // A bare /p2p/<id>: the peer at whatever addresses the peerstore knows.
            return connect(expected, null);
        }
        if (!transports.canDial(address)) {
            throw transports.cannotDial(List.of(address));
        }
        if (expected == null) {
            return awaitIdentified(admit(dialAndUpgrade(address, null)));
        }
        return connect(expected, List.of(address.withoutPeerId()));
    }

    /**
     * Returns an open connection to {@code peer} or dials it at {@code addresses} (null: those in
     * the peerstore); concurrent callers share one dial.
     */
    HostConnection connect(PeerId peer, List<Multiaddr> addresses) throws IOException {
        if (peer.equals(localPeer)) {
            throw new SelfDialException(localPeer);
        }
        HostConnection existing = registry.openTo(peer);
        if (reusable(existing, addresses)) {
            return awaitIdentified(existing);
        }
        CompletableFuture<HostConnection> mine = new CompletableFuture<>();
        CompletableFuture<HostConnection> theirs = pendingDials.putIfAbsent(peer, mine);
        if (theirs != null) {
            HostConnection shared = join(theirs, peer);
            if (reusable(shared, addresses)) {
                return awaitIdentified(shared);
            }
            // The dial under way was relayed, and this caller wants a direct connection.
            return awaitIdentified(dialPeer(peer, addresses != null ? addresses : peerstore.addresses(peer)));
        }
        try {
            HostConnection connection = registry.openTo(peer);
            if (!reusable(connection, addresses)) {
                connection = dialPeer(peer, addresses != null ? addresses : peerstore.addresses(peer));
            }
            mine.complete(connection);
            return awaitIdentified(connection);
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            pendingDials.remove(peer, mine);
        }
    }

    /**
     * True if {@code existing} serves a connect with {@code addresses} (null: the peerstore's). A
     * limited (relayed) connection does not when the caller names a direct address: that is how a
     * relayed peer gets a direct connection once one is known.
     */
    private static boolean reusable(HostConnection existing, List<Multiaddr> addresses) {
        if (existing == null) {
            return false;
        }
        return !existing.limited() || addresses == null || addresses.stream().allMatch(Dialer::isRelayedOnly);
    }

    /** A circuit address that stays relayed; {@code <circuit>/webrtc} is a direct connection signaled over one. */
    private static boolean isRelayedOnly(Multiaddr address) {
        List<Multiaddr.Component> components = address.withoutPeerId().components();
        return components.stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT)
                && components.getLast().protocol() != Protocol.WEBRTC;
    }

    /** Dials up to {@link #MAX_PARALLEL_DIALS} addresses of {@code peer} at once; the first upgrade wins. */
    private HostConnection dialPeer(PeerId peer, List<Multiaddr> known) throws IOException {
        List<Multiaddr> candidates = new ArrayList<>();
        for (Multiaddr address : new LinkedHashSet<>(known)) {
            if (transports.canDial(address) && candidates.size() < MAX_PARALLEL_DIALS) {
                candidates.add(address.withoutPeerId());
            }
        }
        if (known.isEmpty()) {
            throw new ConnectException("no address known for peer " + peer);
        }
        if (candidates.isEmpty()) {
            throw transports.cannotDial(known);
        }
        requireRoomForOutbound(peer, candidates.getFirst());
        if (candidates.size() == 1) {
            return admit(dialAndUpgrade(candidates.getFirst(), peer));
        }
        DialRace<Dialed> race = new DialRace<>(candidates.size(), Dialed::close);
        for (Multiaddr address : candidates) {
            threads.start("dial", () -> {
                try {
                    race.succeeded(dialAndUpgrade(address, peer));
                } catch (Exception e) {
                    race.failed(e);
                }
            });
        }
        Dialed winner;
        try {
            winner = race.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while dialing " + peer);
        }
        if (winner == null) {
            throw dialFailure("could not connect to " + peer, candidates, race.failures());
        }
        return admit(winner);
    }

    /** A dialed and upgraded connection that is not admitted yet. */
    private record Dialed(RawConnection raw, Upgrader.Upgraded upgraded, Multiaddr address) {
        void close() {
            upgraded.session().close();
        }
    }

    /**
     * Dials one address and upgrades the connection.
     *
     * @param expected the peer the address must reach, or null for whoever answers
     */
    private Dialed dialAndUpgrade(Multiaddr address, PeerId expected) throws IOException {
        requireRoomForOutbound(expected, address);
        openPrerequisite(address, expected);
        RawConnection raw = transports.dial(address.withoutPeerId(), expected, limits.dialTimeout());
        upgrading.add(raw);
        try {
            if (!running.getAsBoolean()) {
                raw.close();
                throw new ConnectionClosedException("host " + localPeer + " is closed");
            }
            return new Dialed(raw, upgrader.outbound(raw, expected), address);
        } finally {
            upgrading.remove(raw);
        }
    }

    /**
     * Opens the connection a dial of {@code address} runs over ({@link Transports#dialsOver}), such
     * as the relayed one WebRTC signals on, unless one to {@code expected} is open. It is admitted
     * like any other, so the peer is reachable through it even if the dial of {@code address} fails.
     */
    private void openPrerequisite(Multiaddr address, PeerId expected) throws IOException {
        Multiaddr over = transports.dialsOver(address);
        if (over == null || expected == null || registry.openTo(expected) != null) {
            return;
        }
        awaitIdentified(admit(dialAndUpgrade(over, expected)));
    }

    /** Admits an outbound connection, or closes it and returns the peer's existing one or fails. */
    private HostConnection admit(Dialed dialed) throws IOException {
        HostConnection connection = new HostConnection(dialed.upgraded(), dialed.raw(), true, clock);
        return switch (registry.admit(connection)) {
            case ADMITTED -> start.apply(connection);
            case PEER_FULL -> {
                connection.close();
                HostConnection existing = registry.openTo(connection.remotePeer());
                if (existing == null) {
                    throw new ConnectionClosedException("connection to " + connection.remotePeer()
                            + " was over the per-peer limit, and the existing one has just closed");
                }
                yield existing;
            }
            case HOST_FULL -> {
                connection.close();
                throw connectionLimit(dialed.address());
            }
        };
    }

    private void requireRoomForOutbound(PeerId peer, Multiaddr address) throws ConnectionLimitException {
        if (registry.size() >= limits.maxConnections() && (peer == null || registry.openTo(peer) == null)) {
            throw connectionLimit(address);
        }
    }

    private ConnectionLimitException connectionLimit(Multiaddr address) {
        return new ConnectionLimitException("connection limit reached: " + registry.size() + " of "
                + limits.maxConnections() + " connections open; not dialing " + address);
    }

    private static IOException dialFailure(String what, List<Multiaddr> addresses, List<Exception> failures) {
        if (failures.size() == 1 && failures.getFirst() instanceof IOException only) {
            return only;
        }
        StringBuilder message = new StringBuilder(what).append(" at ").append(addresses.size()).append(" addresses:");
        for (Exception failure : failures) {
            message.append(" [").append(failure.getMessage()).append(']');
        }
        ConnectException e = new ConnectException(message.toString());
        failures.forEach(e::addSuppressed);
        return e;
    }

    private static HostConnection join(CompletableFuture<HostConnection> dial, PeerId peer) throws IOException {
        try {
            return dial.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new InternalFaultException("dial to " + peer + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while waiting for the dial to " + peer);
        }
    }

    /** Waits (bounded) until the first identify on {@code connection} has finished, well or not. */
    static HostConnection awaitIdentified(HostConnection connection) throws IOException {
        try {
            connection.identified().get(Identify.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Identify bounds itself; a connection whose peer stays silent is still a connection.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while identifying " + connection.remotePeer());
        }
        return connection;
    }
}
