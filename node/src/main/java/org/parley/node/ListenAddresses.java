package org.parley.node;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * Turns the addresses a host is bound to into the ones a peer can dial: a wildcard address
 * ({@code 0.0.0.0}, {@code ::}) becomes one address per interface, and each gets the node's
 * {@code /p2p/} suffix. Loopback addresses come first, so a second node on the same machine can
 * take the first line. Stateless.
 */
public final class ListenAddresses {

    private ListenAddresses() {}

    /** The dialable forms of {@code bound}, each ending in {@code /p2p/<self>}, without duplicates. */
    public static List<Multiaddr> dialable(List<Multiaddr> bound, PeerId self) {
        Set<Multiaddr> result = new LinkedHashSet<>();
        for (Multiaddr address : bound) {
            InetSocketAddress socket = tcpSocket(address);
            if (socket != null && socket.getAddress() != null && socket.getAddress().isAnyLocalAddress()) {
                List<InetAddress> locals = interfaceAddresses(socket.getAddress() instanceof Inet6Address);
                if (locals.isEmpty()) {
                    result.add(address.withPeerId(self));
                }
                for (InetAddress local : locals) {
                    result.add(Multiaddr.tcp(local, socket.getPort()).withPeerId(self));
                }
            } else {
                result.add(address.withPeerId(self));
            }
        }
        List<Multiaddr> ordered = new ArrayList<>(result);
        ordered.sort(Comparator.comparing(a -> !a.isLoopback()));
        return ordered;
    }

    private static InetSocketAddress tcpSocket(Multiaddr address) {
        try {
            return address.toTcpSocketAddress();
        } catch (IllegalStateException notPlainTcp) {
            return null;
        }
    }

    /**
     * The addresses of the interfaces that are up. IPv6 link-local addresses are left out: they
     * need a zone and reach nobody a user would type them for.
     */
    private static List<InetAddress> interfaceAddresses(boolean v6) {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (v6 ? address instanceof Inet6Address && !address.isLinkLocalAddress()
                            : address instanceof Inet4Address) {
                        addresses.add(v6 ? stripScope((Inet6Address) address) : address);
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return addresses;
    }

    private static InetAddress stripScope(Inet6Address address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 16-byte address is always valid", e);
        }
    }
}
