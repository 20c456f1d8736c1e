package org.parley.libp2p.transport.tcp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP socket and its accept loop, which runs on its own thread until {@link #close()}.
 * Thread safe.
 */
public final class TcpListener implements TransportListener {

    /**
     * Pause after a failed accept (typically: out of file descriptors), so the loop does not spin
     * while the condition lasts; short enough that service resumes promptly.
     */
    static final Duration ACCEPT_ERROR_BACKOFF = Duration.ofMillis(100);
    /** How long {@link #close()} waits for the accept thread; it ends as soon as the socket closes. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    private final ServerSocket server;
    private final Multiaddr address;
    private final Consumer<RawConnection> onAccept;
    private volatile boolean closed;
    private Thread acceptThread;

    private TcpListener(ServerSocket server, Consumer<RawConnection> onAccept) {
        this.server = server;
        this.address = Multiaddr.tcp(server.getInetAddress(), server.getLocalPort());
        this.onAccept = onAccept;
    }

    static TcpListener start(ServerSocket server, Consumer<RawConnection> onAccept, ThreadFactory threads) {
        TcpListener listener = new TcpListener(server, onAccept);
        listener.acceptThread = threads.newThread(listener::acceptLoop);
        listener.acceptThread.start();
        return listener;
    }

    /** The bound address with the real port; for a wildcard bind it holds 0.0.0.0 or ::. */
    public Multiaddr address() {
        return address;
    }

    /**
     * The addresses others can dial: {@link #address()} itself, or for a wildcard bind one address
     * per local interface address of that family (link-local IPv6 left out: it needs a zone).
     */
    @Override
    public List<Multiaddr> addresses() {
        InetAddress bound = server.getInetAddress();
        if (!bound.isAnyLocalAddress()) {
            return List.of(address);
        }
        List<Multiaddr> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : nif.inetAddresses().toList()) {
                    boolean sameFamily = bound instanceof Inet6Address ? a instanceof Inet6Address : a instanceof Inet4Address;
                    if (sameFamily && !a.isLinkLocalAddress()) {
                        out.add(Multiaddr.tcp(a instanceof Inet6Address ? stripScope(a) : a, server.getLocalPort()));
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces for {}: {}", address, e.getMessage());
            return List.of(address);
        }
        return out.isEmpty() ? List.of(address) : List.copyOf(out);
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Stops accepting and waits for the accept thread to end; accepted connections stay open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a listening socket has nothing left to report.
        }
        if (acceptThread != null && Thread.currentThread() != acceptThread) {
            try {
                if (!acceptThread.join(CLOSE_WAIT)) {
                    log.error("accept thread of {} did not end within {} ms", address, CLOSE_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "tcp listener " + address;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                log.warn("accept on {} failed: {}; retrying in {} ms", address, e.getMessage(),
                        ACCEPT_ERROR_BACKOFF.toMillis());
                if (!pause()) {
                    break;
                }
                continue;
            }
            TcpConnection connection;
            try {
                connection = new TcpConnection(socket);
            } catch (IOException e) {
                log.debug("accepted connection on {} failed at once: {}", address, e.getMessage());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already broken.
                }
                continue;
            }
            try {
                onAccept.accept(connection);
            } catch (RuntimeException e) {
                log.error("handler for connections accepted on {} failed; closing {}", address, connection, e);
                connection.close();
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(ACCEPT_ERROR_BACKOFF);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static InetAddress stripScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 16-byte address is always valid", e);
        }
    }
}
