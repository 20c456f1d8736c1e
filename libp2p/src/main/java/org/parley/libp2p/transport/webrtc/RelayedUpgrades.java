package org.parley.libp2p.transport.webrtc;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades relayed connections to direct WebRTC ones on its own: when a peer reached only through
 * a relay identifies itself as speaking WebRTC signaling, the side that dialed the circuit (only
 * that one, so the two never signal at each other at once) dials
 * {@code <circuit>/webrtc/p2p/<peer>}. The host then moves new streams to the direct connection
 * and closes the relayed one. When ICE finds no path, the peer stays relayed, and the reason is
 * logged and kept for {@link #failure}. Thread safe.
 */
final class RelayedUpgrades {

    private static final Logger log = LoggerFactory.getLogger(RelayedUpgrades.class);
    private static final Multiaddr WEBRTC = Multiaddr.parse("/webrtc");

    private final Host host;
    private final Set<PeerId> underway = ConcurrentHashMap.newKeySet();
    /** The last failed upgrade per peer, dropped when the peer's last connection closes. */
    private final Map<PeerId, Failure> failures = new ConcurrentHashMap<>();

    private record Failure(Connection relayed, String reason) {}

    RelayedUpgrades(Host host) {
        this.host = host;
    }

    /** Starts watching the host's peers. */
    void start() {
        host.subscribe(this::onEvent);
    }

    /** Why the last upgrade of {@code peer}'s relayed connection failed, while it is still connected; empty if none did. */
    Optional<String> failure(PeerId peer) {
        return Optional.ofNullable(failures.get(peer)).map(Failure::reason);
    }

    /** The address that signals WebRTC over {@code relayed}: {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>}. */
    static Multiaddr webRtcAddress(Connection relayed) {
        return relayed.remoteAddress().withoutPeerId().encapsulate(WEBRTC).withPeerId(relayed.remotePeer());
    }

    private void onEvent(HostEvent event) {
        switch (event) {
            case HostEvent.PeerIdentified identified -> consider(identified.connection());
            case HostEvent.PeerDisconnected gone when gone.lastConnection() -> failures.remove(gone.peer());
            default -> { }
        }
    }

    private void consider(Connection connection) {
        PeerId peer = connection.remotePeer();
        if (!connection.limited() || !connection.isInitiator() || !connection.isOpen()
                || !host.peerstore().supports(peer, WebRtcSignaling.PROTOCOL) || hasDirect(peer)) {
            return;
        }
        Failure failed = failures.get(peer);
        if (failed != null && failed.relayed() == connection) {
            return; // tried on this connection already; a push of the peer's identify changes nothing for ICE
        }
        if (!underway.add(peer)) {
            return;
        }
        // Events arrive on the host's dispatcher, which must not wait for ICE.
        Thread.ofVirtual().name("webrtc-upgrade").start(() -> {
            try {
                log.debug("upgrading the relayed connection to {} over {}", peer, webRtcAddress(connection));
                Connection direct = host.connect(webRtcAddress(connection));
                if (direct.limited()) {
                    throw new IllegalStateException("the host answered with its relayed connection");
                }
                failures.remove(peer);
                log.debug("{} upgraded from a relayed connection to {}", peer, direct.transport());
            } catch (IOException | RuntimeException e) {
                failures.put(peer, new Failure(connection, e.getMessage()));
                log.info("no direct WebRTC connection to {} ({}); it stays relayed", peer, e.getMessage());
            } finally {
                underway.remove(peer);
            }
        });
    }

    private boolean hasDirect(PeerId peer) {
        return host.connections(peer).stream().anyMatch(c -> c.isOpen() && !c.limited());
    }
}
