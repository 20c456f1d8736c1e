package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.FakeClock;

class DefaultPeerstoreTest {

    private static final Multiaddr A1 = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001");
    private static final Multiaddr A2 = Multiaddr.parse("/ip4/10.0.0.2/tcp/4001");
    private static final Multiaddr A3 = Multiaddr.parse("/ip6/::1/tcp/4001");

    private final FakeClock clock = new FakeClock();
    private final DefaultPeerstore store = new DefaultPeerstore(clock);
    private final PublicKey key = Ed25519PrivateKey.generate().publicKey();
    private final PeerId peer = PeerId.fromPublicKey(key);

    @Test
    void addressesExpireAfterTheirTtl() {
        store.addAddresses(peer, List.of(A1), Duration.ofMinutes(2));
        store.addAddresses(peer, List.of(A2), Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(3));

        assertThat(store.addresses(peer)).containsExactly(A2);
    }

    @Test
    void aLongerTtlExtendsAnAddressAndAShorterOneDoesNotShortenIt() {
        store.addAddresses(peer, List.of(A1), Duration.ofMinutes(10));
        store.addAddresses(peer, List.of(A1), Duration.ofMinutes(1));

        clock.advance(Duration.ofMinutes(5));

        assertThat(store.addresses(peer)).containsExactly(A1);
    }

    @Test
    void storesAddressesWithoutTheirPeerId() {
        store.addAddresses(peer, List.of(A1.withPeerId(peer)), Peerstore.TEMPORARY_TTL);

        assertThat(store.addresses(peer)).containsExactly(A1);
    }

    @Test
    void addressesOfAConnectedPeerLastUntilItDisconnectsThenForTheRecentlyConnectedTtl() {
        store.connected(peer, key, A1);
        store.identified(peer, List.of(A2), List.of("/ipfs/kad/1.0.0"), null, null);

        clock.advance(Duration.ofDays(3));
        assertThat(store.addresses(peer)).containsExactly(A1, A2);

        store.disconnected(peer);
        clock.advance(Peerstore.RECENTLY_CONNECTED_TTL.minusSeconds(1));
        assertThat(store.addresses(peer)).containsExactly(A1, A2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.addresses(peer)).isEmpty();
    }

    @Test
    void keepsAddressesWhileAnyConnectionIsOpen() {
        store.connected(peer, key, A1);
        store.connected(peer, key, null);

        store.disconnected(peer);
        clock.advance(Duration.ofDays(1));

        assertThat(store.addresses(peer)).containsExactly(A1);
    }

    @Test
    void addressesThePeerStopsAnnouncingBecomeTemporary() {
        store.connected(peer, key, null);
        store.identified(peer, List.of(A1, A2), null, null, null);

        store.identified(peer, List.of(A2, A3), null, null, null);
        clock.advance(Peerstore.TEMPORARY_TTL.plusSeconds(1));

        assertThat(store.addresses(peer)).containsExactly(A2, A3);
    }

    @Test
    void identifyFieldsThatAreAbsentStayUnchanged() {
        store.identified(peer, List.of(A1), List.of("/a/1", "/b/1"), "ipfs/0.1.0", "go-libp2p/0.36.0");

        store.identified(peer, null, null, null, "go-libp2p/0.37.0");

        assertThat(store.addresses(peer)).containsExactly(A1);
        assertThat(store.protocols(peer)).containsExactlyInAnyOrder("/a/1", "/b/1");
        assertThat(store.protocolVersion(peer)).hasValue("ipfs/0.1.0");
        assertThat(store.agentVersion(peer)).hasValue("go-libp2p/0.37.0");
        assertThat(store.supports(peer, "/a/1")).isTrue();
    }

    @Test
    void knowsTheKeyFromTheConnectionOrFromAnInliningPeerId() {
        assertThat(store.publicKey(peer)).hasValueSatisfying(k -> assertThat(k.marshal()).isEqualTo(key.marshal()));
        store.connected(peer, key, null);
        assertThat(store.publicKey(peer)).hasValueSatisfying(k -> assertThat(k.marshal()).isEqualTo(key.marshal()));
    }

    @Test
    void smoothsLatencyLikeGoLibp2p() {
        store.recordLatency(peer, Duration.ofMillis(100));
        store.recordLatency(peer, Duration.ofMillis(200));

        assertThat(store.latency(peer)).hasValue(Duration.ofMillis(110));
    }

    @Test
    void capsAddressesPerPeer() {
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 0; i < Peerstore.MAX_ADDRESSES_PER_PEER + 10; i++) {
            many.add(Multiaddr.parse("/ip4/10.0.1." + i + "/tcp/4001"));
        }

        store.addAddresses(peer, many, Peerstore.TEMPORARY_TTL);

        assertThat(store.addresses(peer)).hasSize(Peerstore.MAX_ADDRESSES_PER_PEER);
    }

    @Test
    void evictsTheLeastRecentlyUsedUnconnectedPeerWhenFull() {
        DefaultPeerstore small = new DefaultPeerstore(clock, 3);
        PeerId connected = newPeer();
        PeerId old = newPeer();
        PeerId recent = newPeer();
        small.connected(connected, Ed25519PrivateKey.generate().publicKey(), null);
        small.addAddresses(old, List.of(A1), Peerstore.TEMPORARY_TTL);
        small.addAddresses(recent, List.of(A2), Peerstore.TEMPORARY_TTL);

        small.addAddresses(newPeer(), List.of(A3), Peerstore.TEMPORARY_TTL);

        assertThat(small.peers()).hasSize(3).contains(connected, recent).doesNotContain(old);
    }

    @Test
    void rejectsANonPositiveTtl() {
        assertThatThrownBy(() -> store.addAddresses(peer, List.of(A1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address TTL must be positive, got PT0S");
    }

    private static PeerId newPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }
}
