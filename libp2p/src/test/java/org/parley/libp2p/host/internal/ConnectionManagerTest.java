package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/** Whom the connection manager trims: idle, unprotected peers past their grace period, longest idle first. */
class ConnectionManagerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void trimsTheLongestIdleFirst() {
        List<ConnectionManager.Candidate<String>> candidates = List.of(
                candidate("short", Duration.ofMinutes(5), 0, Duration.ofSeconds(10)),
                candidate("long", Duration.ofMinutes(5), 0, Duration.ofMinutes(4)),
                candidate("middle", Duration.ofMinutes(5), 0, Duration.ofMinutes(1)));

        assertThat(ConnectionManager.victims(candidates, 2, NOW, GRACE, Set.of(), null)).containsExactly("long", "middle");
    }

    @Test
    void neverTrimsAConnectionInItsGracePeriod() {
        List<ConnectionManager.Candidate<String>> candidates = List.of(
                candidate("new", GRACE.minusMillis(1), 0, GRACE.minusMillis(1)),
                candidate("old", GRACE, 0, Duration.ZERO));

        assertThat(ConnectionManager.victims(candidates, 5, NOW, GRACE, Set.of(), null)).containsExactly("old");
    }

    @Test
    void forANewcomerAtTheCapAPeerInItsGracePeriodGivesWayOnceIdleLongEnough() {
        Duration idleInGrace = ConnectionManager.IDLE_BEFORE_GIVING_WAY;
        List<ConnectionManager.Candidate<String>> candidates = List.of(
                candidate("fresh", Duration.ofSeconds(2), 0, idleInGrace.minusMillis(1)),
                candidate("identified and silent", Duration.ofSeconds(8), 0, idleInGrace),
                candidate("busy in grace", Duration.ofSeconds(8), 2, Duration.ZERO));

        assertThat(ConnectionManager.victims(candidates, 5, NOW, GRACE, Set.of(), idleInGrace))
                .containsExactly("identified and silent");
        assertThat(ConnectionManager.victims(candidates, 5, NOW, GRACE, Set.of(), null)).isEmpty();
    }

    @Test
    void neverTrimsAConnectionWithOpenStreams() {
        List<ConnectionManager.Candidate<String>> candidates = List.of(
                candidate("busy", Duration.ofMinutes(5), 1, Duration.ZERO),
                candidate("idle", Duration.ofMinutes(5), 0, Duration.ofMinutes(1)));

        assertThat(ConnectionManager.victims(candidates, 5, NOW, GRACE, Set.of(), null)).containsExactly("idle");
    }

    @Test
    void neverTrimsAProtectedPeer() {
        ConnectionManager.Candidate<String> bootstrap = candidate("bootstrap", Duration.ofHours(1), 0,
                Duration.ofHours(1));
        ConnectionManager.Candidate<String> stranger = candidate("stranger", Duration.ofMinutes(5), 0,
                Duration.ofMinutes(1));

        assertThat(ConnectionManager.victims(List.of(bootstrap, stranger), 5, NOW, GRACE, Set.of(bootstrap.peer()), null))
                .containsExactly("stranger");
    }

    @Test
    void trimsNothingWhenAskedForNone() {
        List<ConnectionManager.Candidate<String>> candidates = List.of(
                candidate("idle", Duration.ofMinutes(5), 0, Duration.ofMinutes(1)));

        assertThat(ConnectionManager.victims(candidates, 0, NOW, GRACE, Set.of(), null)).isEmpty();
        assertThat(ConnectionManager.victims(candidates, -3, NOW, GRACE, Set.of(), null)).isEmpty();
    }

    private static ConnectionManager.Candidate<String> candidate(String name, Duration age, int streams,
            Duration idle) {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        return new ConnectionManager.Candidate<>(name, peer, NOW.minus(age), streams, idle);
    }
}
