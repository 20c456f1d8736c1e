package org.parley.libp2p.transport.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;

/**
 * The TCP {@link Transport}: dials and listens on plain TCP multiaddrs
 * ({@code /ip4|ip6/<ip>/tcp/<port>}, and for dialing also {@code /dns|dns4|dns6/<name>/tcp/<port>})
 * with blocking sockets. Its connections are raw: the host secures and multiplexes them. Thread
 * safe and stateless apart from the factory for accept threads.
 */
public final class TcpTransport implements Transport {

    /** What {@link #name()} returns. */
    public static final String NAME = "TCP";

    /**
     * Pending connections the kernel queues for one listener before refusing more. A burst of
     * dials (a DHT lookup touching us, a test opening thousands of connections) must not be
     * refused while the accept thread hands the previous ones on.
     */
    static final int ACCEPT_BACKLOG = 1024;

    private final ThreadFactory acceptThreads;

    /** A transport whose accept loops run on fresh virtual threads. */
    public TcpTransport() {
        this(Thread.ofVirtual().name("tcp-accept-", 0).factory());
    }

    /** A transport whose accept loops run on threads from {@code acceptThreads} (the host counts them). */
    public TcpTransport(ThreadFactory acceptThreads) {
        this.acceptThreads = acceptThreads;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** True if {@code address} is a plain TCP address, by IP or DNS name, optionally ending in {@code /p2p/}. */
    @Override
    public boolean canDial(Multiaddr address) {
        try {
            address.toTcpSocketAddress();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** True if {@code address} is {@code /ip4|ip6/<ip>/tcp/<port>} without {@code /p2p/}. */
    @Override
    public boolean canListen(Multiaddr address) {
        try {
            return !address.toTcpSocketAddress().isUnresolved() && address.peerId() == null;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** False: TCP carries bytes only; the host runs Noise and yamux over them. */
    @Override
    public boolean securedAndMuxed() {
        return false;
    }

    /**
     * Opens a connection to {@code address}, resolving a DNS name first ({@code dns4} to IPv4,
     * {@code dns6} to IPv6).
     *
     * @throws UnsupportedAddressException if {@code address} is not a plain TCP address
     * @throws ConnectException if the remote refuses or cannot be reached
     * @throws SocketTimeoutException if the connection is not up within {@code connectTimeout}
     * @throws UnknownHostException if the name does not resolve to an address of the right family
     */
    @Override
    public TcpConnection dial(Multiaddr address, Duration connectTimeout) throws IOException {
        InetSocketAddress target = resolve(address);
        Socket socket = new Socket();
        try {
            socket.connect(target, Math.toIntExact(Math.max(1, connectTimeout.toMillis())));
            return new TcpConnection(socket);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new SocketTimeoutException("TCP dial to " + address + " timed out after "
                    + connectTimeout.toMillis() + " ms");
        } catch (IOException e) {
            closeQuietly(socket);
            ConnectException failure = new ConnectException("TCP dial to " + address + " failed: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * Listens on {@code address}; port 0 picks a free port, which {@link TcpListener#address()}
     * then reports. Each accepted connection is passed to {@code onAccept} on the listener's accept
     * thread, so {@code onAccept} must hand it on quickly and never block.
     *
     * @throws UnsupportedAddressException if {@code address} is not {@code /ip4|ip6/<ip>/tcp/<port>}
     * @throws java.net.BindException if the address is in use or not local
     */
    @Override
    public TcpListener listen(Multiaddr address, Consumer<RawConnection> onAccept) throws IOException {
        InetSocketAddress local = requireIp(address);
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(local, ACCEPT_BACKLOG);
        } catch (IOException e) {
            closeQuietly(server);
            throw e;
        }
        return TcpListener.start(server, onAccept, acceptThreads);
    }

    private InetSocketAddress requireIp(Multiaddr address) throws UnsupportedAddressException {
        if (!canListen(address)) {
            throw new UnsupportedAddressException("cannot listen on " + address
                    + "; expected /ip4|ip6/<ip>/tcp/<port> without /p2p/", List.of(address));
        }
        return address.toTcpSocketAddress();
    }

    private static InetSocketAddress resolve(Multiaddr address) throws IOException {
        InetSocketAddress target = socketAddress(address);
        if (!target.isUnresolved()) {
            return target;
        }
        Protocol family = address.components().getFirst().protocol();
        for (InetAddress candidate : InetAddress.getAllByName(target.getHostString())) {
            boolean fits = switch (family) {
                case DNS4 -> candidate instanceof Inet4Address;
                case DNS6 -> candidate instanceof Inet6Address;
                default -> true;
            };
            if (fits) {
                return new InetSocketAddress(candidate, target.getPort());
            }
        }
        throw new UnknownHostException(target.getHostString() + " has no address for " + address);
    }

    private static InetSocketAddress socketAddress(Multiaddr address) throws UnsupportedAddressException {
        try {
            return address.toTcpSocketAddress();
        } catch (IllegalStateException e) {
            throw new UnsupportedAddressException("TCP cannot dial " + address + ": " + e.getMessage(),
                    List.of(address));
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Nothing was transferred; the descriptor is released either way.
        }
    }
}
