package org.parley.dht.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.testing.TestPeers;

class ProviderStoreTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final TestPeers peers = new TestPeers(21);
    private final byte[] key = {0x12, 0x20, 1, 2, 3};

    @Test
    void entriesExpireAfter48HoursAndAddressesAfter24() {
        ProviderStore store = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 10, 100);
        PeerRef p = peers.peer();
        store.add(key, p, T0);
        assertThat(store.get(key, T0.plus(Duration.ofHours(24)))).containsExactly(p);
        assertThat(store.get(key, T0.plus(Duration.ofHours(24)).plusSeconds(1)))
                .containsExactly(new PeerRef(p.id(), List.of()));
        assertThat(store.get(key, T0.plus(Duration.ofHours(48)).plusSeconds(1))).isEmpty();
        assertThat(store.expire(T0.plus(Duration.ofHours(48)).plusSeconds(1))).isEqualTo(1);
        assertThat(store.size()).isZero();
    }

    @Test
    void aRepublishRefreshesTheEntry() {
        ProviderStore store = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 10, 100);
        PeerRef p = peers.peer();
        store.add(key, p, T0);
        store.add(key, p, T0.plus(Duration.ofHours(22)));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get(key, T0.plus(Duration.ofHours(60)))).containsExactly(new PeerRef(p.id(), List.of()));
    }

    @Test
    void removingOneProviderKeepsTheOthersAndFreesItsPlace() {
        ProviderStore store = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 10, 100);
        PeerRef a = peers.peer();
        PeerRef b = peers.peer();
        store.add(key, a, T0);
        store.add(key, b, T0);
        assertThat(store.remove(key, a.id())).isTrue();
        assertThat(store.remove(key, a.id())).as("already gone").isFalse();
        assertThat(store.get(key, T0)).containsExactly(b);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove(key, b.id())).isTrue();
        assertThat(store.get(key, T0)).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void aFullKeyDropsItsOldestProvider() {
        ProviderStore store = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 2, 100);
        PeerRef a = peers.peer();
        PeerRef b = peers.peer();
        PeerRef c = peers.peer();
        store.add(key, a, T0);
        store.add(key, b, T0);
        store.add(key, c, T0);
        assertThat(store.get(key, T0)).containsExactly(b, c);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void aFullStoreRefusesNewEntriesUntilSomeExpire() {
        ProviderStore store = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 10, 2);
        assertThat(store.add(new byte[] {1}, peers.peer(), T0)).isTrue();
        assertThat(store.add(new byte[] {2}, peers.peer(), T0)).isTrue();
        assertThat(store.add(new byte[] {3}, peers.peer(), T0.plusSeconds(1))).isFalse();
        assertThat(store.add(new byte[] {3}, peers.peer(), T0.plus(Duration.ofHours(49)))).isTrue();
        assertThat(store.size()).isEqualTo(1);
    }
}
