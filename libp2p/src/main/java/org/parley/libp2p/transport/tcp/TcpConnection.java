package org.parley.libp2p.transport.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * One TCP connection as a {@link Duplex}: buffered in both directions, {@code flush()} puts the
 * bytes on the wire (TCP_NODELAY is on, so they leave at once).
 *
 * <p>Threading as for {@link Duplex}: one reader and one writer at a time; {@link #close()} from
 * any thread wakes both with a {@link ConnectionClosedException}. Every socket error surfaces as a
 * {@link ConnectionClosedException}: a reset or broken pipe is the connection going away.
 */
public final class TcpConnection implements Duplex {

    /**
     * Bytes buffered per direction. A full Noise frame (65,537 bytes) is about this size, so bulk
     * reads and writes take one system call per frame and small protocol messages are batched,
     * while a host at its connection cap (hundreds) holds tens of MiB in buffers, not hundreds.
     */
    static final int BUFFER_BYTES = 64 * 1024;

    private final Socket socket;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();

    TcpConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.localAddress = Multiaddr.tcp(local.getAddress(), local.getPort());
        this.remoteAddress = Multiaddr.tcp(remote.getAddress(), remote.getPort());
        this.in = new BufferedInputStream(new SocketInput(socket.getInputStream()), BUFFER_BYTES);
        this.out = new HalfClosingOutput(new SocketOutput(socket.getOutputStream()));
    }

    /** Our end, for example {@code /ip4/127.0.0.1/tcp/4001}. */
    public Multiaddr localAddress() {
        return localAddress;
    }

    /** The remote end as we see it. */
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /** Reads from the connection; returns -1 once the remote has shut down its writing side. */
    @Override
    public InputStream in() {
        return in;
    }

    /**
     * Writes to the connection; {@code flush()} sends the buffered bytes, {@code close()} flushes
     * and shuts down our writing side (the remote reads end-of-stream) while reading goes on.
     */
    @Override
    public OutputStream out() {
        return out;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Closes the socket without flushing: buffered bytes that were not flushed are dropped. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // The socket is released either way; there is nobody to tell.
            }
        }
    }

    @Override
    public String toString() {
        return "tcp " + localAddress + " <-> " + remoteAddress;
    }

    private ConnectionClosedException closedError(IOException cause) {
        String why = closed.get() ? "closed" : "lost (" + cause.getMessage() + ")";
        return new ConnectionClosedException("TCP connection to " + remoteAddress + " " + why, cause);
    }

    /** Turns socket errors into {@link ConnectionClosedException}. */
    private final class SocketInput extends InputStream {
        private final InputStream socketIn;

        SocketInput(InputStream socketIn) {
            this.socketIn = socketIn;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return socketIn.read(b, off, len);
            } catch (ConnectionClosedException e) {
                throw e;
            } catch (IOException e) {
                throw closedError(e);
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return socketIn.available();
            } catch (IOException e) {
                throw closedError(e);
            }
        }

        @Override
        public void close() {
            TcpConnection.this.close();
        }
    }

    /** Turns socket errors into {@link ConnectionClosedException}. */
    private final class SocketOutput extends OutputStream {
        private final OutputStream socketOut;

        SocketOutput(OutputStream socketOut) {
            this.socketOut = socketOut;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                socketOut.write(b, off, len);
            } catch (IOException e) {
                throw closedError(e);
            }
        }
    }

    /** A buffered output whose close half-closes the connection instead of closing the socket. */
    private final class HalfClosingOutput extends BufferedOutputStream {

        HalfClosingOutput(OutputStream socketOut) {
            super(socketOut, BUFFER_BYTES);
        }

        @Override
        public void close() throws IOException {
            flush();
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                throw closedError(e);
            }
        }
    }
}
