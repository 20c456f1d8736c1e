package org.parley.libp2p.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;

class TcpTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TcpTransport transport = new TcpTransport();
    private final BlockingQueue<RawConnection> accepted = new ArrayBlockingQueue<>(16);
    private TcpListener listener;

    @AfterEach
    void closeListener() {
        if (listener != null) {
            listener.close();
        }
        accepted.forEach(RawConnection::close);
    }

    @Test
    void reportsTheRealPortWhenListeningOnPortZero() throws IOException {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);

        assertThat(listener.address().toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/[1-9][0-9]*");
        assertThat(listener.addresses()).containsExactly(listener.address());
    }

    @Test
    void carriesBytesBothWaysOverIpv4() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        exchange(listener.address());
    }

    @Test
    void carriesBytesBothWaysOverIpv6() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip6/::1/tcp/0"), accepted::add);
        assertThat(listener.address().toString()).startsWith("/ip6/::1/tcp/");
        exchange(listener.address());
    }

    @Test
    void flushPushesBytesWithoutClosing() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        try (TcpConnection client = transport.dial(listener.address(), TIMEOUT)) {
            RawConnection server = accepted.poll(5, TimeUnit.SECONDS);
            client.out().write(new byte[] {1, 2, 3});
            client.out().flush();
            assertThat(server.in().readNBytes(3)).containsExactly(1, 2, 3);
            assertThat(server.remoteAddress()).isEqualTo(client.localAddress());
            assertThat(server.localAddress()).isEqualTo(client.remoteAddress());
        }
    }

    @Test
    void availableCountsTheBytesTheSocketHoldsBeforeAnyRead() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        try (TcpConnection client = transport.dial(listener.address(), TIMEOUT)) {
            RawConnection server = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(server.in().available()).isZero();
            client.out().write(new byte[] {1, 2, 3});
            client.out().flush();

            // The handshake admission asks this from the accept thread, before the upgrade reads.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (server.in().available() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(server.in().available()).isEqualTo(3);
            assertThat(server.in().read()).isEqualTo(1);
            assertThat(server.in().available()).isEqualTo(2);
            server.close();
            assertThatThrownBy(() -> server.in().available()).isInstanceOf(ConnectionClosedException.class);
        }
    }

    @Test
    void closingTheOutputHalfClosesTheConnection() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        try (TcpConnection client = transport.dial(listener.address(), TIMEOUT)) {
            RawConnection server = accepted.poll(5, TimeUnit.SECONDS);
            client.out().write("request".getBytes(StandardCharsets.UTF_8));
            client.out().close();

            assertThat(new String(server.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("request");
            server.out().write("reply".getBytes(StandardCharsets.UTF_8));
            server.out().close();
            assertThat(new String(client.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("reply");
        }
    }

    @Test
    void closeWakesABlockedReaderWithConnectionClosed() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        TcpConnection client = transport.dial(listener.address(), TIMEOUT);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                client.in().read();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        accepted.poll(5, TimeUnit.SECONDS);

        client.close();

        assertThat(failure.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("TCP connection to " + listener.address() + " closed");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void dialToAClosedPortFailsWithTheAddress() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Multiaddr target = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port);

        assertThatThrownBy(() -> transport.dial(target, TIMEOUT))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("TCP dial to " + target + " failed: Connection refused");
    }

    @Test
    void refusesAddressesThatAreNotPlainTcp() {
        assertThat(transport.canDial(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/ws"))).isFalse();
        assertThat(transport.canDial(Multiaddr.parse("/dns4/localhost/tcp/1"))).isTrue();
        assertThat(transport.canListen(Multiaddr.parse("/dns4/localhost/tcp/0"))).isFalse();
        assertThat(transport.canListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).isTrue();
        assertThatThrownBy(() -> transport.listen(Multiaddr.parse("/dns4/localhost/tcp/0"), accepted::add))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("cannot listen on /dns4/localhost/tcp/0; expected /ip4|ip6/<ip>/tcp/<port> without /p2p/");
        assertThatThrownBy(() -> transport.dial(Multiaddr.parse("/ip4/127.0.0.1/udp/1/quic-v1"), TIMEOUT))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessageStartingWith("TCP cannot dial /ip4/127.0.0.1/udp/1/quic-v1: ");
    }

    @Test
    void dialsADnsName() throws Exception {
        listener = transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);
        int port = listener.address().toTcpSocketAddress().getPort();
        try (TcpConnection client = transport.dial(Multiaddr.parse("/dns4/localhost/tcp/" + port), TIMEOUT)) {
            assertThat(client.remoteAddress()).isEqualTo(listener.address());
        }
    }

    @Test
    void closedListenerEndsItsAcceptThreadAndRefusesDials() throws Exception {
        Thread[] acceptThread = new Thread[1];
        TcpTransport counted = new TcpTransport(task -> acceptThread[0] = Thread.ofVirtual().unstarted(task));
        TcpListener closing = counted.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::add);

        closing.close();

        assertThat(acceptThread[0].isAlive()).isFalse();
        assertThat(closing.isOpen()).isFalse();
        assertThatThrownBy(() -> transport.dial(closing.address(), TIMEOUT)).isInstanceOf(ConnectException.class);
    }

    private void exchange(Multiaddr address) throws Exception {
        try (TcpConnection client = transport.dial(address, TIMEOUT)) {
            RawConnection server = accepted.poll(5, TimeUnit.SECONDS);
            byte[] big = new byte[1 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.out().write(big);
                    client.out().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(server.in().readNBytes(big.length)).isEqualTo(big);
            writer.join();
            server.out().write(42);
            server.out().flush();
            assertThat(client.in().read()).isEqualTo(42);
        }
    }
}
