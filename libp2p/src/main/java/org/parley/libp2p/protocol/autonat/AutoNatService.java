package org.parley.libp2p.protocol.autonat;

import java.io.IOException;
import java.time.InstantSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.autonat.wire.AutoNatCodec;
import org.parley.libp2p.protocol.autonat.wire.AutoNatMessage;
import org.parley.libp2p.protocol.autonat.wire.AutoNatStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of AutoNAT v1 ({@value #PROTOCOL_ID}): dials a peer back, on a fresh connection
 * from a throwaway identity, at the addresses it names that carry the IP we see it connect from
 * (never another IP: that would make us a scanner for anyone), and tells it whether that worked.
 * Throttled globally and per peer; refused over relayed connections. Thread safe.
 */
public final class AutoNatService implements AutoCloseable {

    public static final String PROTOCOL_ID = "/libp2p/autonat/1.0.0";

    /**
     * go's dial-back timeout, for all of a request's addresses together (each dial has the dial-back
     * host's own, shorter timeout): a slow link through a NAT may take a few seconds to answer, and
     * the client waits for our answer.
     */
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(15);

    /** How long a peer may take to send its request: one small message. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(AutoNatService.class);

    private final Host host;
    private final DialBackThrottle throttle;
    private Host dialer;

    public AutoNatService(Host host, InstantSource clock) {
        this.host = host;
        this.throttle = new DialBackThrottle(clock);
    }

    /**
     * Starts the dial-back host (TCP, a new identity each time) and serves the protocol.
     *
     * @throws IOException if the dial-back host cannot start
     */
    public synchronized void start() throws IOException {
        dialer = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build();
        dialer.start();
        host.setHandler(PROTOCOL_ID, this::handle);
    }

    @Override
    public synchronized void close() {
        host.removeHandler(PROTOCOL_ID);
        if (dialer != null) {
            dialer.close();
        }
    }

    private void handle(Stream stream) throws IOException {
        AutoNatMessage request;
        try (StreamDeadline deadline = StreamDeadline.start(stream, REQUEST_TIMEOUT)) {
            request = AutoNatCodec.read(stream.in());
        }
        if (!(request instanceof AutoNatMessage.Dial dial)) {
            respond(stream, AutoNatStatus.E_BAD_REQUEST, "expected a DIAL");
            throw new PeerFaultException("AutoNAT stream opened with a DIAL_RESPONSE");
        }
        respond(stream, dialBack(stream.connection(), dial));
    }

    private AutoNatMessage.DialResponse dialBack(Connection connection, AutoNatMessage.Dial dial) {
        PeerId peer = connection.remotePeer();
        if (!dial.peer().equals(peer)) {
            return response(AutoNatStatus.E_BAD_REQUEST, "the peer id is not the sender's");
        }
        if (connection.limited() || isRelayed(connection.remoteAddress())) {
            return response(AutoNatStatus.E_DIAL_REFUSED, "no dial-back over a relayed connection");
        }
        byte[] observed = connection.remoteAddress().ipBytes();
        List<Multiaddr> candidates = new ArrayList<>();
        for (Multiaddr address : dial.addresses()) {
            byte[] ip = address.ipBytes();
            if (observed != null && ip != null && Arrays.equals(ip, observed) && !isRelayed(address)) {
                candidates.add(address.withoutPeerId());
            }
        }
        if (candidates.isEmpty()) {
            return response(AutoNatStatus.E_DIAL_REFUSED, "no address with the IP the request came from");
        }
        if (!throttle.tryAcquire(peer)) {
            return response(AutoNatStatus.E_DIAL_REFUSED, "too many dial-backs; try later");
        }
        long giveUpAt = System.nanoTime() + DIAL_TIMEOUT.toNanos();
        for (Multiaddr candidate : candidates) {
            if (System.nanoTime() - giveUpAt > 0) {
                break;
            }
            try (Connection back = dialer.connect(candidate.withPeerId(peer))) {
                log.debug("dialed {} back at {}", peer, candidate);
                return new AutoNatMessage.DialResponse(AutoNatStatus.OK, "", candidate);
            } catch (IOException | RuntimeException e) {
                log.debug("could not dial {} back at {}: {}", peer, candidate, e.getMessage());
            }
        }
        return response(AutoNatStatus.E_DIAL_ERROR, "dial-back failed");
    }

    private static AutoNatMessage.DialResponse response(AutoNatStatus status, String text) {
        return new AutoNatMessage.DialResponse(status, text, null);
    }

    private static void respond(Stream stream, AutoNatStatus status, String text) throws IOException {
        respond(stream, response(status, text));
    }

    private static void respond(Stream stream, AutoNatMessage.DialResponse response) throws IOException {
        AutoNatCodec.write(stream.out(), response);
    }

    static boolean isRelayed(Multiaddr address) {
        return address.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }
}
