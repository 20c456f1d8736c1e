package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UdpReceiveBuffersTest {

    /**
     * Within any Linux's net.core.rmem_max (212,992 on a stock one), and above half the default
     * receive buffer (also 212,992): the kernel keeps twice the size asked and the JDK halves what
     * it reads back, so Java sees this, up from 106,496.
     */
    private static final int ASKED = 150_000;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "finding sockets by descriptor needs Linux's /proc");
    }

    @Test
    void enlargesTheReceiveBufferOfTheUdpSocketOnThePort() throws Exception {
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel other = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            int before = socket.getOption(StandardSocketOptions.SO_RCVBUF);
            int otherBefore = other.getOption(StandardSocketOptions.SO_RCVBUF);

            assertThat(UdpReceiveBuffers.enlarge(port, ASKED)).isEqualTo(1);

            assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(ASKED).isGreaterThan(before);
            assertThat(other.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(otherBefore);
        }
    }

    @Test
    void enlargesTheIpv6SocketOnThePortToo() throws Exception {
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("::", 0))) {
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();

            assertThat(UdpReceiveBuffers.enlarge(port, ASKED)).isEqualTo(1);
            assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(ASKED);
        }
    }

    @Test
    void leavesATcpSocketOnTheSamePortAlone() throws Exception {
        try (ServerSocketChannel tcp = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
            int before = tcp.socket().getReceiveBufferSize();

            assertThat(UdpReceiveBuffers.enlarge(port, ASKED)).isZero();
            assertThat(tcp.socket().getReceiveBufferSize()).isEqualTo(before);
        }
    }

    @Test
    void aPortWithoutASocketChangesNothing() throws Exception {
        int port;
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
        }
        assertThat(UdpReceiveBuffers.enlarge(port, ASKED)).isZero();
    }
}
