package org.parley.libp2p.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;

/**
 * A connected pair of plain TCP sockets on 127.0.0.1, each wrapped as a {@link Duplex}, for tests
 * and benchmarks that need a real kernel socket under a protocol. Not the TCP transport.
 */
public final class LoopbackTcp {

    private LoopbackTcp() {}

    /** The dialing and the accepting end of one fresh loopback connection. */
    public record Pair(SocketDuplex initiator, SocketDuplex responder) implements AutoCloseable {
        @Override
        public void close() {
            initiator.close();
            responder.close();
        }
    }

    public static Pair pair() throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            Socket dialer = new Socket();
            dialer.connect(server.getLocalSocketAddress());
            Socket accepted = server.accept();
            return new Pair(new SocketDuplex(dialer), new SocketDuplex(accepted));
        }
    }

    /**
     * A socket as a {@link Duplex}: unbuffered streams (the protocol above buffers), no Nagle
     * delay, and socket errors after {@link #close()} reported as {@link ConnectionClosedException}.
     * Thread safety as for {@link Duplex}.
     */
    public static final class SocketDuplex implements Duplex {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        SocketDuplex(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            InputStream rawIn = socket.getInputStream();
            OutputStream rawOut = socket.getOutputStream();
            this.in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return rawIn.read(b, off, len);
                    } catch (IOException e) {
                        throw closedOr(e);
                    }
                }
            };
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        rawOut.write(b, off, len);
                    } catch (IOException e) {
                        throw closedOr(e);
                    }
                }
            };
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        /** Sends FIN while reading goes on. */
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a socket twice or after a reset has nothing left to report.
            }
        }

        private IOException closedOr(IOException e) {
            return socket.isClosed() ? new ConnectionClosedException("socket closed", e) : e;
        }
    }
}
