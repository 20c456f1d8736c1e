package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;

class HostListenAfterStartTest {

    private final TestHosts hosts = new TestHosts();

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void aListenAddressAddedAfterStartIsDialableAndPushedToConnectedPeers() throws Exception {
        Host host = hosts.start();
        Host peer = hosts.start();
        TestHosts.Events peerEvents = new TestHosts.Events(peer);
        peer.connect(TestHosts.addressOf(host));
        peerEvents.next(HostEvent.PeerIdentified.class, e -> e.peer().equals(host.peerId()));
        Multiaddr first = host.listenAddresses().getFirst();

        List<Multiaddr> added = host.listen(TestHosts.LOOPBACK);

        assertThat(added).hasSize(1).doesNotContain(first);
        assertThat(host.listenAddresses()).containsExactly(first, added.getFirst());
        peerEvents.next(HostEvent.PeerIdentified.class,
                e -> e.peer().equals(host.peerId()) && peer.peerstore().addresses(host.peerId())
                        .contains(added.getFirst()));
        Host third = hosts.start();
        assertThat(third.connect(added.getFirst().withPeerId(host.peerId())).remotePeer()).isEqualTo(host.peerId());
    }

    @Test
    void listeningBeforeStartIsRefused() {
        Host unstarted = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build();
        try {
            assertThatThrownBy(() -> unstarted.listen(TestHosts.LOOPBACK)).isInstanceOf(IllegalStateException.class);
        } finally {
            unstarted.close();
        }
    }
}
