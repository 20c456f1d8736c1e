package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * The host's transports, in the order they were given: picks the first that takes an address, and
 * checks that each hands over what it promised ({@link Transport#securedAndMuxed()}). Immutable
 * and thread safe.
 */
final class Transports {

    private final List<Transport> transports;

    Transports(List<Transport> transports) {
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("a host needs at least one transport");
        }
        this.transports = List.copyOf(transports);
    }

    /** True if some transport can dial {@code address}. */
    boolean canDial(Multiaddr address) {
        return forDial(address) != null;
    }

    /**
     * Dials {@code address} with the first transport that can.
     *
     * @throws UnsupportedAddressException if none can, naming what the host dials instead
     */
    RawConnection dial(Multiaddr address, PeerId expected, Duration timeout) throws IOException {
        Transport transport = forDial(address);
        if (transport == null) {
            throw cannotDial(List.of(address));
        }
        return checked(transport, transport.dial(address, expected, timeout));
    }

    /** What the transport for {@code address} dials over first ({@link Transport#dialsOver}), or null. */
    Multiaddr dialsOver(Multiaddr address) {
        Transport transport = forDial(address);
        return transport == null ? null : transport.dialsOver(address);
    }

    /**
     * Listens on {@code address} with the first transport that can.
     *
     * @throws UnsupportedAddressException if none can, naming what the host listens on instead
     */
    TransportListener listen(Multiaddr address, Consumer<RawConnection> acceptor) throws IOException {
        for (Transport transport : transports) {
            if (transport.canListen(address)) {
                return transport.listen(address, raw -> {
                    RawConnection connection;
                    try {
                        connection = checked(transport, raw);
                    } catch (InternalFaultException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                    acceptor.accept(connection);
                });
            }
        }
        throw new UnsupportedAddressException("cannot listen on " + address + ": this host listens on "
                + names() + " addresses only", List.of(address));
    }

    /** The failure for a peer none of whose {@code addresses} any transport can dial. */
    UnsupportedAddressException cannotDial(List<Multiaddr> addresses) {
        String what = addresses.size() == 1 ? addresses.getFirst().toString() : "any of " + addresses;
        return new UnsupportedAddressException("cannot dial " + what + ": this host dials " + names()
                + " addresses only", addresses);
    }

    /** The transports' names, for messages: {@code TCP}, {@code TCP and memory}. */
    String names() {
        List<String> names = transports.stream().map(Transport::name).distinct().toList();
        if (names.size() == 1) {
            return names.getFirst();
        }
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
                + " and " + names.getLast();
    }

    List<Transport> all() {
        return transports;
    }

    private Transport forDial(Multiaddr address) {
        for (Transport transport : transports) {
            if (transport.canDial(address)) {
                return transport;
            }
        }
        return null;
    }

    /** A transport that breaks its own promise is our bug (its code is ours), not the peer's. */
    private static RawConnection checked(Transport transport, RawConnection raw) throws InternalFaultException {
        if (transport.securedAndMuxed() != raw instanceof SecuredMuxedConnection) {
            raw.close();
            throw new InternalFaultException("transport " + transport.name() + " says its connections are "
                    + (transport.securedAndMuxed() ? "" : "not ") + "secured and muxed, but handed over " + raw);
        }
        return raw;
    }

    @Override
    public String toString() {
        return transports.toString();
    }
}
