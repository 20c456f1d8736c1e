package org.parley.libp2p.transport.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;

class MemoryTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MemoryNetwork network = new MemoryNetwork();
    private final MemoryTransport transport = network.create(Thread.ofVirtual().factory());
    private final BlockingQueue<RawConnection> accepted = new ArrayBlockingQueue<>(4);

    @Test
    void memoryAddressesRoundTripThroughTheMulticodecTable() throws Exception {
        Multiaddr address = Multiaddr.parse("/memory/alpha");

        // 0x0309 as a varint is 0x89 0x06, then the length-prefixed name.
        assertThat(address.bytes()).isEqualTo(new byte[] {(byte) 0x89, 0x06, 5, 'a', 'l', 'p', 'h', 'a'});
        assertThat(Multiaddr.fromBytes(address.bytes())).isEqualTo(address);
        assertThat(MemoryTransport.address("alpha")).isEqualTo(address);
    }

    @Test
    void takesOnlyMemoryAddresses() {
        Multiaddr memory = Multiaddr.parse("/memory/a");
        Multiaddr withPeer = Multiaddr.parse("/memory/a/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

        assertThat(transport.canDial(memory)).isTrue();
        assertThat(transport.canDial(withPeer)).isTrue();
        assertThat(transport.canListen(memory)).isTrue();
        assertThat(transport.canListen(withPeer)).isFalse();
        assertThat(transport.canDial(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"))).isFalse();
        assertThat(transport.securedAndMuxed()).isFalse();
        assertThatThrownBy(() -> transport.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"), TIMEOUT))
                .isInstanceOf(UnsupportedAddressException.class)
                .hasMessage("the memory transport cannot dial /ip4/127.0.0.1/tcp/1; expected /memory/<name>[/p2p/<id>]");
    }

    @Test
    void carriesBytesBothWaysWithTheAddressesOfBothEnds() throws Exception {
        Multiaddr address = network.newAddress();
        try (TransportListener listener = transport.listen(address, accepted::add);
                RawConnection client = transport.dial(address, TIMEOUT)) {
            RawConnection server = accepted.poll(5, TimeUnit.SECONDS);

            assertThat(listener.addresses()).containsExactly(address);
            assertThat(client.remoteAddress()).isEqualTo(address);
            assertThat(server.localAddress()).isEqualTo(address);
            assertThat(server.remoteAddress()).isEqualTo(client.localAddress());
            client.out().write("hello".getBytes(UTF_8));
            client.out().close();
            assertThat(new String(server.in().readAllBytes(), UTF_8)).isEqualTo("hello");
            server.out().write(42);
            server.out().flush();
            assertThat(client.in().read()).isEqualTo(42);
            server.close();
        }
        assertThat(network.openConnectionEnds()).isZero();
        assertThat(network.listenerCount()).isZero();
    }

    @Test
    void dialingANameNobodyListensOnIsRefused() {
        Multiaddr address = network.newAddress();

        assertThatThrownBy(() -> transport.dial(address, TIMEOUT))
                .isInstanceOf(ConnectException.class)
                .hasMessage("nothing listens at " + address);
    }

    @Test
    void aNameCanBeBoundOnceUntilItsListenerCloses() throws Exception {
        Multiaddr address = network.newAddress();
        TransportListener first = transport.listen(address, accepted::add);

        assertThatThrownBy(() -> transport.listen(address, accepted::add))
                .isInstanceOf(BindException.class)
                .hasMessage("memory address " + address + " is already in use");
        first.close();
        assertThatThrownBy(() -> transport.dial(address, TIMEOUT)).isInstanceOf(ConnectException.class);
        try (TransportListener second = transport.listen(address, accepted::add)) {
            assertThat(second.addresses()).containsExactly(address);
        }
    }

    @Test
    void anAcceptorThatThrowsFailsTheDialAndClosesBothEnds() throws Exception {
        Multiaddr address = network.newAddress();
        try (TransportListener listener = transport.listen(address, raw -> {
            throw new IllegalStateException("full");
        })) {
            assertThatThrownBy(() -> transport.dial(address, TIMEOUT))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageStartingWith("the listener at " + address + " failed to accept");
        }
        assertThat(network.openConnectionEnds()).isZero();
    }
}
