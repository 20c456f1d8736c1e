package org.parley.node.nat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.autonat.Reachability;
import org.parley.libp2p.protocol.relay.RelayService;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a node behind a NAT reachable: while AutoNAT says {@link Reachability#PRIVATE}, it
 * reserves a slot on up to {@link #MAX_RELAYS} directly connected peers that serve the relay hop
 * protocol, by listening on their {@code /p2p-circuit} address; the host then announces the
 * circuit addresses through identify and the DHT with its other listen addresses (and, on a node
 * with WebRTC, each as {@code <circuit>/webrtc} too). The host must
 * carry a {@link RelayTransport}. Reservations stay when AutoNAT changes its mind (the relay
 * transport renews them; an unused one costs the relay little). Thread safe.
 */
public final class RelayReservations implements AutoCloseable {

    /**
     * go-libp2p's autorelay default: a second relay keeps the node reachable while the first
     * goes away, and more would only load relays that others need.
     */
    public static final int MAX_RELAYS = 2;

    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final Multiaddr WEBRTC = Multiaddr.parse("/webrtc");
    private static final Logger log = LoggerFactory.getLogger(RelayReservations.class);

    private final Host host;
    private final boolean announceWebRtc;
    private final Set<PeerId> reserved = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private volatile boolean needed;
    private volatile boolean closed;
    private volatile Subscription identified;

    /** Reservations that announce only the circuit addresses. */
    public RelayReservations(Host host) {
        this(host, false);
    }

    /**
     * @param announceWebRtc true if the host takes WebRTC: each circuit address is then also
     *     announced as {@code <circuit>/webrtc}, so peers that find it know they can upgrade
     */
    public RelayReservations(Host host, boolean announceWebRtc) {
        this.host = host;
        this.announceWebRtc = announceWebRtc;
    }

    /** Looks at each newly identified peer while reservations are needed. */
    public void start() {
        identified = host.subscribe(event -> {
            if (needed && event instanceof HostEvent.PeerIdentified && reserved.size() < MAX_RELAYS) {
                scheduleRound();
            }
        });
    }

    /** Starts reserving when AutoNAT finds the node private. */
    public void onReachability(Reachability reachability) {
        needed = reachability == Reachability.PRIVATE;
        if (needed) {
            scheduleRound();
        }
    }

    /**
     * Runs {@link #reserveMore} on a virtual thread; while one waits to start, further requests
     * join it, so a burst of identified peers costs one more round, not one each.
     */
    private void scheduleRound() {
        if (roundQueued.compareAndSet(false, true)) {
            Thread.ofVirtual().name("relay-reserve").start(() -> {
                roundQueued.set(false);
                reserveMore();
            });
        }
    }

    /** The relays this node holds a reservation with. */
    public List<PeerId> relays() {
        return List.copyOf(reserved);
    }

    /**
     * Reserves with connected relay-capable peers until {@link #MAX_RELAYS} hold one. One round
     * at a time; a relay that refuses is logged and tried again at the next round.
     */
    synchronized void reserveMore() {
        for (Connection connection : host.connections()) {
            if (closed || !needed || reserved.size() >= MAX_RELAYS) {
                return;
            }
            PeerId peer = connection.remotePeer();
            if (reserved.contains(peer) || connection.limited() || isCircuit(connection.remoteAddress())
                    || !host.peerstore().protocols(peer).contains(RelayService.HOP_PROTOCOL_ID)) {
                continue;
            }
            Multiaddr circuit = connection.remoteAddress().withPeerId(peer).encapsulate(CIRCUIT);
            try {
                List<Multiaddr> added = new ArrayList<>(host.listen(circuit));
                reserved.add(peer);
                if (announceWebRtc) {
                    added.addAll(host.listen(circuit.encapsulate(WEBRTC)));
                }
                log.info("reserved a relay slot at {}; reachable at {}", peer, added);
            } catch (IOException | RuntimeException e) {
                log.info("could not reserve a relay slot at {}: {}", peer, e.getMessage());
            }
        }
    }

    /** Stops looking for relays; reservations end with the host. Does not wait for a round in progress. */
    @Override
    public void close() {
        closed = true;
        Subscription subscription = identified;
        if (subscription != null) {
            subscription.close();
        }
    }

    /** A relay is used only over a direct connection. */
    private static boolean isCircuit(Multiaddr address) {
        return address.components().stream().anyMatch(part -> part.protocol() == Protocol.P2P_CIRCUIT);
    }
}
