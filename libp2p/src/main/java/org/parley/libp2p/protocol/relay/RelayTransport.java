package org.parley.libp2p.protocol.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.wire.HopMessage;
import org.parley.libp2p.protocol.relay.wire.RelayCodec;
import org.parley.libp2p.protocol.relay.wire.RelayPeer;
import org.parley.libp2p.protocol.relay.wire.RelayStatus;
import org.parley.libp2p.protocol.relay.wire.ReservationVoucher;
import org.parley.libp2p.protocol.relay.wire.StopMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2 as a {@link Transport}: dials
 * {@code <relay>/p2p/R/p2p-circuit/p2p/T} through relay R, and "listens" on
 * {@code <relay>/p2p/R/p2p-circuit} by holding a reservation there (refreshed before it expires)
 * and accepting the circuits R brings in over {@value RelayService#STOP_PROTOCOL_ID}. The host
 * upgrades each circuit with Noise and yamux and marks it {@linkplain Connection#limited()
 * limited} when the relay announced a limit.
 *
 * <p>A relay transport works through its host (it opens streams to relays), so it is given to the
 * builder and then bound to the host it built, before {@code start()}:
 *
 * <pre>{@code
 * RelayTransport relay = new RelayTransport();
 * Host host = Libp2p.newHost().identity(key).transport(TcpTransport::new).transport(relay)
 *         .listen(List.of(tcp, Multiaddr.parse("/ip4/.../tcp/4001/p2p/R/p2p-circuit"))).build();
 * relay.bind(host);
 * host.start();
 * }</pre>
 *
 * Thread safe.
 */
public final class RelayTransport implements Transport, Transport.Factory, AutoCloseable {

    /** What {@link #name()} and relayed connections' {@code transport()} say. */
    public static final String NAME = "relay";

    /** go's autorelay slack: renew two minutes before the end, time for a retry or two. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(2);

    /** go's autorelay refresh tick: often enough to honour {@link #REFRESH_BEFORE_EXPIRY}. */
    static final Duration REFRESH_CHECK_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RelayTransport.class);

    /** Why a relay we hold a reservation on is protected from trimming (see {@code Host.protect}). */
    static final String PROTECTION_TAG = "relay-reservation";

    private final Clock clock;
    private final List<CircuitListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Host host;
    private ScheduledExecutorService timer;

    /** A relay transport on the system clock. */
    public RelayTransport() {
        this(Clock.systemUTC());
    }

    /** A relay transport whose refresh decisions read {@code clock}; tests give a fake one. */
    public RelayTransport(Clock clock) {
        this.clock = clock;
    }

    /** This transport itself: it starts no threads of its own before {@link #bind}. */
    @Override
    public Transport create(ThreadFactory threads) {
        return this;
    }

    /**
     * Attaches the transport to the host it is part of: serves {@value RelayService#STOP_PROTOCOL_ID}
     * there and starts refreshing reservations. Call once, before {@code host.start()}.
     */
    public synchronized void bind(Host host) {
        if (this.host != null) {
            throw new IllegalStateException("this relay transport is already bound to " + this.host);
        }
        this.host = host;
        host.setHandler(RelayService.STOP_PROTOCOL_ID, this::handleStop);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("relay-refresh").factory());
        long every = REFRESH_CHECK_INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(this::refreshDue, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canDial(Multiaddr address) {
        return CircuitAddress.parse(address) != null;
    }

    @Override
    public boolean canListen(Multiaddr address) {
        CircuitAddress circuit = CircuitAddress.parse(address);
        return circuit != null && circuit.target() == null;
    }

    @Override
    public boolean securedAndMuxed() {
        return false;
    }

    /** The host strips the target's {@code /p2p/}; a circuit needs it, so it goes back on. */
    @Override
    public RawConnection dial(Multiaddr address, PeerId expected, Duration timeout) throws IOException {
        CircuitAddress circuit = CircuitAddress.parse(address);
        boolean targetless = circuit != null && circuit.target() == null;
        return dial(targetless && expected != null ? address.withPeerId(expected) : address, timeout);
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        CircuitAddress circuit = CircuitAddress.parse(address);
        if (circuit == null) {
            throw new UnsupportedAddressException("not a circuit address: " + address, List.of(address));
        }
        if (circuit.target() == null) {
            throw new UnsupportedAddressException("circuit address " + address
                    + " names no target; append /p2p/<peer id>", List.of(address));
        }
        Connection toRelay = relayConnection(circuit);
        Stream hop = toRelay.newStream(List.of(RelayService.HOP_PROTOCOL_ID));
        HopMessage answer;
        StreamDeadline deadline = StreamDeadline.start(hop, timeout);
        try {
            RelayCodec.write(hop.out(), HopMessage.connect(RelayPeer.of(circuit.target())));
            answer = RelayCodec.readHop(hop.in());
        } catch (IOException e) {
            hop.reset();
            if (deadline.expired()) {
                throw new SocketTimeoutException("relay " + circuit.relay() + " did not answer a circuit to "
                        + circuit.target() + " within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            deadline.close();
        }
        if (answer.type() != HopMessage.Type.STATUS || answer.status() == null) {
            hop.reset();
            throw new PeerFaultException("relay " + circuit.relay() + " answered CONNECT with " + answer.type()
                    + " and no status");
        }
        if (answer.status() != RelayStatus.OK) {
            hop.reset();
            throw new RelayRefusedException("relay " + circuit.relay() + " refused a circuit to "
                    + circuit.target() + ": " + answer.status(), answer.status());
        }
        return new RelayedConnection(hop, circuit.circuit(), address, answer.limit());
    }

    @Override
    public TransportListener listen(Multiaddr address, Consumer<RawConnection> acceptor) throws IOException {
        CircuitAddress circuit = CircuitAddress.parse(address);
        if (circuit == null || circuit.target() != null) {
            throw new UnsupportedAddressException("cannot listen on " + address
                    + ": a relay listen address is <relay address>/p2p/<relay id>/p2p-circuit", List.of(address));
        }
        CircuitListener listener = new CircuitListener(circuit, acceptor);
        listener.reservation = reserve(circuit.relayAddress());
        listeners.add(listener);
        return listener;
    }

    /**
     * Asks the relay at {@code relayAddress} (ending in {@code /p2p/<relay>}) for a reservation, or
     * renews ours, and keeps our connection to it from being closed as idle.
     *
     * @throws RelayRefusedException if the relay is full or refuses us
     * @throws PeerFaultException if its answer is malformed or its voucher is not its own
     */
    public Reservation reserve(Multiaddr relayAddress) throws IOException {
        CircuitAddress circuit = CircuitAddress.parse(relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit")));
        if (circuit == null) {
            throw new UnsupportedAddressException("a relay address must end in /p2p/<relay id>: " + relayAddress,
                    List.of(relayAddress));
        }
        Connection toRelay = relayConnection(circuit);
        PeerId relay = circuit.relay();
        HopMessage answer;
        try (Stream hop = toRelay.newStream(List.of(RelayService.HOP_PROTOCOL_ID));
                StreamDeadline deadline = StreamDeadline.start(hop, RelayService.HANDSHAKE_TIMEOUT)) {
            RelayCodec.write(hop.out(), HopMessage.reserve());
            answer = RelayCodec.readHop(hop.in());
        }
        if (answer.type() != HopMessage.Type.STATUS || answer.status() == null) {
            throw new PeerFaultException("relay " + relay + " answered RESERVE with " + answer.type()
                    + " and no status");
        }
        if (answer.status() != RelayStatus.OK) {
            throw new RelayRefusedException("relay " + relay + " refused a reservation: " + answer.status(),
                    answer.status());
        }
        if (answer.reservation() == null) {
            throw new PeerFaultException("relay " + relay + " said OK to RESERVE without a reservation");
        }
        byte[] voucherBytes = answer.reservation().voucher();
        if (voucherBytes != null) {
            ReservationVoucher voucher = ReservationVoucher.open(voucherBytes);
            if (!voucher.relay().equals(relay) || !voucher.peer().equals(host.peerId())) {
                throw new PeerFaultException("relay " + relay + " sent a voucher of relay " + voucher.relay()
                        + " for " + voucher.peer());
            }
        }
        host.protect(relay, PROTECTION_TAG);
        List<Multiaddr> addresses = new ArrayList<>();
        for (Multiaddr relayAddr : answer.reservation().addresses()) {
            if (relayAddr.components().stream().noneMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT)) {
                addresses.add(relayAddr.withPeerId(relay).encapsulate(Multiaddr.parse("/p2p-circuit")));
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(circuit.circuit());
        }
        return new Reservation(relay, Instant.ofEpochSecond(answer.reservation().expireEpochSeconds()), addresses,
                answer.limit());
    }

    /** The reservations our listeners hold now. */
    public List<Reservation> reservations() {
        return listeners.stream().map(l -> l.reservation).toList();
    }

    /**
     * Renews each reservation that ends within {@link #REFRESH_BEFORE_EXPIRY} at the clock's now,
     * or whose relay connection is gone. Runs every {@link #REFRESH_CHECK_INTERVAL}; a failed
     * renewal is retried on the next run.
     */
    public void refreshDue() {
        Host bound = host;
        if (bound == null) {
            return;
        }
        Instant now = clock.instant();
        for (CircuitListener listener : listeners) {
            Reservation current = listener.reservation;
            boolean due = !now.isBefore(current.expires().minus(REFRESH_BEFORE_EXPIRY));
            boolean lost = bound.connections(current.relay()).stream().noneMatch(Connection::isOpen);
            if (due || lost) {
                try {
                    listener.reservation = reserve(listener.circuit.relayAddress());
                    log.debug("renewed the reservation at {} until {}", current.relay(),
                            listener.reservation.expires());
                } catch (IOException | RuntimeException e) {
                    log.info("could not renew the reservation at relay {}: {}; retrying in {} s", current.relay(),
                            e.getMessage(), REFRESH_CHECK_INTERVAL.toSeconds());
                }
            }
        }
    }

    /** Stops refreshing and drops the listeners; open relayed connections stay open. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        for (CircuitListener listener : listeners) {
            listener.close();
        }
        if (host != null) {
            host.removeHandler(RelayService.STOP_PROTOCOL_ID);
        }
    }

    private Connection relayConnection(CircuitAddress circuit) throws IOException {
        Host bound = host;
        if (bound == null) {
            throw new IllegalStateException("bind the relay transport to its host before the host starts");
        }
        Connection toRelay = bound.connect(circuit.relayAddress());
        if (toRelay.limited() || RelayedConnection.TRANSPORT.equals(toRelay.transport())) {
            throw new ConnectException("will not use relay " + circuit.relay()
                    + " through a relayed connection; it needs a direct one");
        }
        return toRelay;
    }

    /** Accepts a circuit the relay brings in; holds the stop stream until the host closes the connection. */
    private void handleStop(Stream stream) throws IOException, InterruptedException {
        StopMessage request;
        try (StreamDeadline deadline = StreamDeadline.start(stream, RelayService.HANDSHAKE_TIMEOUT)) {
            try {
                request = RelayCodec.readStop(stream.in());
            } catch (PeerFaultException e) {
                refuseStop(stream, RelayStatus.MALFORMED_MESSAGE, e.getMessage());
                return;
            }
            if (request.type() != StopMessage.Type.CONNECT) {
                refuseStop(stream, RelayStatus.UNEXPECTED_MESSAGE, "stop stream opened with " + request.type());
                return;
            }
            if (request.peer() == null) {
                refuseStop(stream, RelayStatus.MALFORMED_MESSAGE, "stop CONNECT without the initiator's peer id");
                return;
            }
            CircuitListener listener = listeners.stream()
                    .filter(l -> l.circuit.relay().equals(stream.remotePeer())).findFirst().orElse(null);
            if (listener == null) {
                log.debug("refusing a circuit from {} through {}: we hold no reservation there",
                        request.peer().id(), stream.remotePeer());
                RelayCodec.write(stream.out(), StopMessage.status(RelayStatus.PERMISSION_DENIED));
                return;
            }
            RelayCodec.write(stream.out(), StopMessage.status(RelayStatus.OK));
            deadline.close();
            Multiaddr viaRelay = stream.connection().remoteAddress().withPeerId(stream.remotePeer())
                    .encapsulate(Multiaddr.parse("/p2p-circuit"));
            RelayedConnection raw = new RelayedConnection(stream, viaRelay.withPeerId(host.peerId()),
                    viaRelay.withPeerId(request.peer().id()), request.limit());
            listener.acceptor.accept(raw);
            raw.awaitClosed();
        }
    }

    /** Answers a broken STOP with its status and ends the stream gracefully, so the answer arrives. */
    private static void refuseStop(Stream stream, RelayStatus status, String why) throws IOException {
        log.debug("stop request from {} refused with {}: {}", stream.remotePeer(), status, why);
        RelayCodec.write(stream.out(), StopMessage.status(status));
        stream.closeWrite();
    }

    /** One reservation, as the listener of a circuit address. */
    private final class CircuitListener implements TransportListener {
        private final CircuitAddress circuit;
        private final Consumer<RawConnection> acceptor;
        private volatile Reservation reservation;

        CircuitListener(CircuitAddress circuit, Consumer<RawConnection> acceptor) {
            this.circuit = circuit;
            this.acceptor = acceptor;
        }

        @Override
        public List<Multiaddr> addresses() {
            return reservation.circuitAddresses();
        }

        @Override
        public void close() {
            if (listeners.remove(this) && host != null) {
                host.unprotect(circuit.relay(), PROTECTION_TAG);
            }
        }
    }
}
