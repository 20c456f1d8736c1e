package org.parley.libp2p.host.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.peer.PeerId;

/**
 * The host's open connections by peer, with the connection caps. Admitting and removing a
 * connection, updating the peerstore and emitting the event happen under one lock, so events for
 * a peer are emitted in the order its connections came and went. Thread safe.
 */
final class ConnectionRegistry {

    /** Why a connection was or was not admitted. */
    enum Admission { ADMITTED, HOST_FULL, PEER_FULL }

    private final HostLimits limits;
    private final DefaultPeerstore peerstore;
    private final EventDispatcher events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PeerId, List<HostConnection>> byPeer = new HashMap<>();
    private int count;

    ConnectionRegistry(HostLimits limits, DefaultPeerstore peerstore, EventDispatcher events) {
        this.limits = limits;
        this.peerstore = peerstore;
        this.events = events;
    }

    /** Adds {@code connection} unless a cap forbids it; on success emits {@link HostEvent.PeerConnected}. */
    Admission admit(HostConnection connection) {
        PeerId peer = connection.remotePeer();
        lock.lock();
        try {
            if (count >= limits.maxConnections()) {
                return Admission.HOST_FULL;
            }
            List<HostConnection> ofPeer = byPeer.computeIfAbsent(peer, p -> new ArrayList<>(1));
            if (peerFull(ofPeer, connection)) {
                return Admission.PEER_FULL;
            }
            ofPeer.add(connection);
            count++;
            peerstore.connected(peer, connection.remotePublicKey(),
                    connection.isInitiator() ? connection.remoteAddress() : null);
            events.emit(new HostEvent.PeerConnected(peer, connection));
            return Admission.ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code ofPeer} leaves no room for {@code newcomer}. A direct newcomer counts only the
     * peer's other direct connections: the relayed ones are what it replaces (the host retires them
     * once it is up), so they must not keep it out. Refusing it there left the peer that dialed
     * with a connection the other side had already closed. A relayed newcomer counts them all, so a
     * peer holds at most twice the cap, and only while its relayed connections retire.
     */
    private boolean peerFull(List<HostConnection> ofPeer, HostConnection newcomer) {
        long counted = newcomer.limited() ? ofPeer.size() : ofPeer.stream().filter(c -> !c.limited()).count();
        return counted >= limits.maxConnectionsPerPeer();
    }

    /** Removes {@code connection} if present and emits {@link HostEvent.PeerDisconnected}. */
    void remove(HostConnection connection) {
        PeerId peer = connection.remotePeer();
        lock.lock();
        try {
            List<HostConnection> ofPeer = byPeer.get(peer);
            if (ofPeer == null || !ofPeer.remove(connection)) {
                return;
            }
            count--;
            boolean last = ofPeer.isEmpty();
            if (last) {
                byPeer.remove(peer);
            }
            peerstore.disconnected(peer, connection);
            events.emit(new HostEvent.PeerDisconnected(peer, connection, last));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} only while {@code connection} is registered, under the registry's lock,
     * so what it records about the connection never follows the connection's removal; returns
     * whether it ran.
     */
    boolean whileRegistered(HostConnection connection, Runnable action) {
        lock.lock();
        try {
            List<HostConnection> ofPeer = byPeer.get(connection.remotePeer());
            if (ofPeer == null || !ofPeer.contains(connection)) {
                return false;
            }
            action.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Emits {@code event} about {@code connection} only while it is registered, so it never follows its disconnect. */
    void emitWhileRegistered(HostConnection connection, HostEvent event) {
        lock.lock();
        try {
            List<HostConnection> ofPeer = byPeer.get(connection.remotePeer());
            if (ofPeer != null && ofPeer.contains(connection)) {
                events.emit(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The oldest open unlimited connection to {@code peer}, else the oldest limited one, or null. */
    HostConnection openTo(PeerId peer) {
        lock.lock();
        try {
            // A direct connection beats a relayed one, which a relay cuts after minutes or kilobytes.
            HostConnection limited = null;
            for (HostConnection connection : byPeer.getOrDefault(peer, List.of())) {
                if (connection.isOpen()) {
                    if (!connection.limited()) {
                        return connection;
                    }
                    if (limited == null) {
                        limited = connection;
                    }
                }
            }
            return limited;
        } finally {
            lock.unlock();
        }
    }

    List<HostConnection> all() {
        lock.lock();
        try {
            List<HostConnection> out = new ArrayList<>(count);
            byPeer.values().forEach(out::addAll);
            return out;
        } finally {
            lock.unlock();
        }
    }

    List<Connection> of(PeerId peer) {
        lock.lock();
        try {
            return List.copyOf(byPeer.getOrDefault(peer, List.of()));
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
