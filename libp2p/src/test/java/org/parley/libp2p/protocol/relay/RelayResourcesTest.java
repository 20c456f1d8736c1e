package org.parley.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class RelayResourcesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void grantsUntilTheTtlAndRenewsWithoutTakingASecondSlot() {
        RelayResources resources = new RelayResources(RelayConfig.defaults().withMaxReservations(1));
        PeerId a = peer();
        assertThat(resources.reserve(a, "ip-a", NOW)).isEqualTo(NOW.plus(RelayConfig.DEFAULT_RESERVATION_TTL));
        Instant later = NOW.plusSeconds(600);
        assertThat(resources.reserve(a, "ip-a", later)).isEqualTo(later.plus(RelayConfig.DEFAULT_RESERVATION_TTL));
        assertThat(resources.reserve(peer(), "ip-b", later)).isNull();
    }

    @Test
    void limitsReservationsPerIp() {
        RelayResources resources = new RelayResources(RelayConfig.defaults().withMaxReservationsPerIp(2));
        assertThat(resources.reserve(peer(), "same", NOW)).isNotNull();
        assertThat(resources.reserve(peer(), "same", NOW)).isNotNull();
        assertThat(resources.reserve(peer(), "same", NOW)).isNull();
        assertThat(resources.reserve(peer(), "other", NOW)).isNotNull();
    }

    @Test
    void expiredReservationsFreeTheirSlotAndAreReportedOnce() {
        RelayResources resources = new RelayResources(RelayConfig.defaults().withMaxReservations(1)
                .withReservationTtl(Duration.ofMinutes(10)));
        PeerId a = peer();
        resources.reserve(a, "ip", NOW);
        Instant after = NOW.plus(Duration.ofMinutes(10));
        assertThat(resources.reserved(a, after.minusSeconds(1))).isTrue();
        assertThat(resources.expire(after)).containsExactly(a);
        assertThat(resources.expire(after)).isEmpty();
        assertThat(resources.reserve(peer(), "ip", after)).isNotNull();
    }

    @Test
    void limitsCircuitsAtEitherEnd() {
        RelayResources resources = new RelayResources(RelayConfig.defaults().withMaxCircuitsPerPeer(2));
        PeerId target = peer();
        assertThat(resources.openCircuit(peer(), target)).isTrue();
        assertThat(resources.openCircuit(peer(), target)).isTrue();
        PeerId third = peer();
        assertThat(resources.openCircuit(third, target)).isFalse();
        assertThat(resources.circuitCount(third)).isZero();
        resources.closeCircuit(peer(), target);
        assertThat(resources.circuitCount(target)).isEqualTo(1);
        assertThat(resources.openCircuit(third, target)).isTrue();
    }
}
