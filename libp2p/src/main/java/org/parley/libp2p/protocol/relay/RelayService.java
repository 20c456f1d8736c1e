package org.parley.libp2p.protocol.relay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.wire.HopMessage;
import org.parley.libp2p.protocol.relay.wire.RelayCodec;
import org.parley.libp2p.protocol.relay.wire.RelayLimit;
import org.parley.libp2p.protocol.relay.wire.RelayPeer;
import org.parley.libp2p.protocol.relay.wire.RelayReservation;
import org.parley.libp2p.protocol.relay.wire.RelayStatus;
import org.parley.libp2p.protocol.relay.wire.ReservationVoucher;
import org.parley.libp2p.protocol.relay.wire.StopMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hop side of circuit relay v2 ({@value #HOP_PROTOCOL_ID}), run by a reachable node: grants
 * reservations (with a signed voucher) and, for a CONNECT to a peer holding one, opens
 * {@value #STOP_PROTOCOL_ID} to it and splices the two streams under the circuit limits of its
 * {@link RelayConfig}. Hop streams are refused on limited connections (no relaying over a relay).
 *
 * <p>A reserved peer's connections are protected from the idle timeout while the reservation
 * lasts (an expiry is noticed at the next hop request); a reservation ends with its peer's last
 * connection. Thread safe; each hop stream runs
 * on the host's handler thread, each circuit on two.
 */
public final class RelayService implements AutoCloseable {

    public static final String HOP_PROTOCOL_ID = "/libp2p/circuit/relay/0.2.0/hop";
    public static final String STOP_PROTOCOL_ID = "/libp2p/circuit/relay/0.2.0/stop";

    /**
     * How long a client may take to send its hop request, and a target to answer STOP: go's
     * {@code StreamTimeout} is a minute; a peer that has not written a 4 KiB message in 30 s is
     * stalling a handler thread.
     */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RelayService.class);

    /** Why a peer holding a reservation with this relay is protected from trimming (see {@code Host.protect}). */
    static final String PROTECTION_TAG = "relay-client";

    private final Host host;
    private final PrivateKey identity;
    private final RelayConfig config;
    private final Clock clock;
    private final RelayResources resources;
    private Subscription disconnects;

    /**
     * @param identity the host's own key, which signs the vouchers
     */
    public RelayService(Host host, PrivateKey identity, RelayConfig config, Clock clock) {
        if (!PeerId.fromPublicKey(identity.publicKey()).equals(host.peerId())) {
            throw new IllegalArgumentException("the relay's vouchers must be signed with the host's own key");
        }
        this.host = host;
        this.identity = identity;
        this.config = config;
        this.clock = clock;
        this.resources = new RelayResources(config);
    }

    /** Serves the hop protocol on the host from now on. */
    public synchronized void start() {
        disconnects = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected gone && gone.lastConnection()) {
                if (resources.reserved(gone.peer(), clock.instant())) {
                    host.unprotect(gone.peer(), PROTECTION_TAG);
                }
                resources.release(gone.peer());
            }
        });
        host.setHandler(HOP_PROTOCOL_ID, this::handleHop);
    }

    /** Reservations held now. */
    public int reservationCount() {
        return resources.reservationCount(clock.instant());
    }

    /** Stops serving hop streams; open circuits run on until they end. */
    @Override
    public synchronized void close() {
        host.removeHandler(HOP_PROTOCOL_ID);
        if (disconnects != null) {
            disconnects.close();
        }
    }

    private void handleHop(Stream stream) throws IOException, InterruptedException {
        // Expired reservations are noticed here, lazily: their peers lose the idle-timeout shelter.
        for (PeerId ended : resources.expire(clock.instant())) {
            host.unprotect(ended, PROTECTION_TAG);
        }
        HopMessage request;
        try (StreamDeadline deadline = StreamDeadline.start(stream, HANDSHAKE_TIMEOUT)) {
            try {
                request = RelayCodec.readHop(stream.in());
            } catch (PeerFaultException e) {
                refuse(stream, RelayStatus.MALFORMED_MESSAGE, e.getMessage());
                return;
            }
            switch (request.type()) {
                case RESERVE -> reserve(stream);
                case CONNECT -> {
                    deadline.close();
                    connect(stream, request);
                }
                case STATUS -> refuse(stream, RelayStatus.UNEXPECTED_MESSAGE, "hop stream opened with a STATUS");
            }
        }
    }

    private void reserve(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        Connection connection = stream.connection();
        Instant now = clock.instant();
        Instant expires = resources.reserve(peer, ipOf(connection.remoteAddress()), now);
        if (expires == null) {
            log.debug("refusing a reservation to {}: {} held", peer, resources.reservationCount(now));
            RelayCodec.write(stream.out(), HopMessage.status(RelayResources.refusal()));
            return;
        }
        host.protect(peer, PROTECTION_TAG);
        long expireSeconds = expires.getEpochSecond();
        byte[] voucher = new ReservationVoucher(host.peerId(), peer, expireSeconds).seal(identity);
        RelayReservation reservation = new RelayReservation(expireSeconds, ownAddresses(), voucher);
        RelayCodec.write(stream.out(), new HopMessage(HopMessage.Type.STATUS, null, reservation,
                config.circuitLimit(), RelayStatus.OK));
        log.debug("reserved a slot for {} until {}", peer, expires);
    }

    private void connect(Stream hop, HopMessage request) throws IOException, InterruptedException {
        PeerId initiator = hop.remotePeer();
        if (request.peer() == null) {
            refuse(hop, RelayStatus.MALFORMED_MESSAGE, "CONNECT without a target peer");
            return;
        }
        PeerId target = request.peer().id();
        if (!resources.reserved(target, clock.instant())) {
            RelayCodec.write(hop.out(), HopMessage.status(RelayStatus.NO_RESERVATION));
            return;
        }
        Connection toTarget = host.connections(target).stream()
                .filter(c -> c.isOpen() && !c.limited()).findFirst().orElse(null);
        if (toTarget == null) {
            RelayCodec.write(hop.out(), HopMessage.status(RelayStatus.NO_RESERVATION));
            return;
        }
        if (!resources.openCircuit(initiator, target)) {
            RelayCodec.write(hop.out(), HopMessage.status(RelayStatus.RESOURCE_LIMIT_EXCEEDED));
            return;
        }
        try {
            RelayLimit limit = config.circuitLimit();
            Stream stop = openStop(toTarget, initiator, limit);
            if (stop == null) {
                RelayCodec.write(hop.out(), HopMessage.status(RelayStatus.CONNECTION_FAILED));
                return;
            }
            RelayCodec.write(hop.out(), new HopMessage(HopMessage.Type.STATUS, null, null, limit, RelayStatus.OK));
            log.debug("relaying {} to {}", initiator, target);
            boolean cut = new CircuitSplice(hop, stop, limit).run();
            log.debug("circuit {} to {} ended{}", initiator, target, cut ? " at its limit" : "");
        } finally {
            resources.closeCircuit(initiator, target);
        }
    }

    /**
     * Answers a broken request with its status and ends the stream gracefully: a reset could
     * overtake the answer, and the client would not learn what it did wrong.
     */
    private static void refuse(Stream stream, RelayStatus status, String why) throws IOException {
        log.debug("hop request from {} refused with {}: {}", stream.remotePeer(), status, why);
        RelayCodec.write(stream.out(), HopMessage.status(status));
        stream.closeWrite();
    }

    /** Opens STOP to the target and returns the stream once it accepted, or null if it did not. */
    private Stream openStop(Connection toTarget, PeerId initiator, RelayLimit limit) {
        Stream stop = null;
        try {
            stop = toTarget.newStream(List.of(STOP_PROTOCOL_ID));
            try (StreamDeadline deadline = StreamDeadline.start(stop, HANDSHAKE_TIMEOUT)) {
                RelayCodec.write(stop.out(), StopMessage.connect(RelayPeer.of(initiator), limit));
                StopMessage answer = RelayCodec.readStop(stop.in());
                if (answer.type() == StopMessage.Type.STATUS && answer.status() == RelayStatus.OK) {
                    return stop;
                }
                log.debug("{} refused a circuit from {}: {}", toTarget.remotePeer(), initiator, answer.status());
            }
        } catch (IOException e) {
            log.debug("STOP to {} failed: {}", toTarget.remotePeer(), e.getMessage());
        }
        if (stop != null) {
            stop.reset();
        }
        return null;
    }

    /** Our addresses as a reservation lists them: each with {@code /p2p/<relay>}, none relayed itself. */
    private List<Multiaddr> ownAddresses() {
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr address : host.listenAddresses()) {
            boolean relayed = address.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
            if (!relayed) {
                out.add(address.withPeerId(host.peerId()));
            }
        }
        return out;
    }

    private static String ipOf(Multiaddr address) {
        byte[] ip = address.ipBytes();
        return ip == null ? address.toString() : java.util.HexFormat.of().formatHex(ip);
    }
}
