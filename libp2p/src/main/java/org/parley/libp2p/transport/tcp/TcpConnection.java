package org.parley.libp2p.transport.tcp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * One TCP connection as a {@link Duplex}: lightly buffered in both directions, {@code flush()} puts
 * the bytes on the wire (TCP_NODELAY is on, so they leave at once). The layer above (Noise) frames
 * and buffers on its own, so bulk reads and writes bypass the buffers here.
 *
 * <p>Threading as for {@link Duplex}: one reader and one writer at a time; {@link #close()} from
 * any thread wakes both with a {@link ConnectionClosedException}. Every socket error surfaces as a
 * {@link ConnectionClosedException}: a reset or broken pipe is the connection going away.
 */
public final class TcpConnection implements RawConnection {

    /**
     * Bytes buffered per direction, for the plaintext multistream-select and Noise handshake
     * messages (tens to hundreds of bytes each) only: Noise reads and writes whole frames through
     * its own buffer, and a read or write at least this large bypasses ours. So it needs only to
     * batch a few small messages; hundreds of connections hold little memory in it.
     */
    static final int BUFFER_BYTES = 2 * 1024;

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
        this.in = new SocketInput(socket.getInputStream());
        this.out = new HalfClosingOutput(new SocketOutput(socket.getOutputStream()));
    }

    /** Our end, for example {@code /ip4/127.0.0.1/tcp/4001}. */
    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    /** The remote end as we see it. */
    @Override
    public String transport() {
        return "tcp";
    }

    @Override
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

    /**
     * Turns socket errors into {@link ConnectionClosedException} and buffers small reads, such as
     * multistream-select's varints. Unlike {@link java.io.BufferedInputStream} it never asks the
     * socket for {@code available()}: one read is one system call.
     */
    private final class SocketInput extends InputStream {
        private final InputStream socketIn;
        /** Allocated by the first small read; Noise's frame reads never need it. */
        private byte[] buffer;
        private int position;
        private int limit;

        SocketInput(InputStream socketIn) {
            this.socketIn = socketIn;
        }

        @Override
        public int read() throws IOException {
            if (position == limit && fill() < 0) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= BUFFER_BYTES) {
                    return readSocket(b, off, len);
                }
                if (fill() < 0) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        /**
         * The buffered bytes plus those the socket holds unread (one system call that never
         * blocks). The host's handshake admission asks it from the accept thread before the
         * upgrade reads, to tell a remote that spoke from a silent one; the buffer belongs to the
         * upgrade thread, so that racy look at it is a hint, as available() always is.
         */
        @Override
        public int available() throws IOException {
            int buffered = limit - position;
            try {
                return buffered + socketIn.available();
            } catch (IOException e) {
                throw closedError(e);
            }
        }

        @Override
        public void close() {
            TcpConnection.this.close();
        }

        private int fill() throws IOException {
            if (buffer == null) {
                buffer = new byte[BUFFER_BYTES];
            }
            int n = readSocket(buffer, 0, buffer.length);
            position = 0;
            limit = Math.max(n, 0);
            return n;
        }

        private int readSocket(byte[] b, int off, int len) throws IOException {
            try {
                return socketIn.read(b, off, len);
            } catch (IOException e) {
                throw closedError(e);
            }
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
