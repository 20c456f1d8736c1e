package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final ProgressThrottle throttle = new ProgressThrottle(source());

    private InstantSource source() {
        return now::get;
    }

    @Test
    void letsTheFirstUpdateOutThenOnePerInterval() {
        assertThat(throttle.tryAcquire()).isTrue();
        assertThat(throttle.tryAcquire()).isFalse();

        now.set(now.get().plus(ProgressThrottle.INTERVAL.minus(Duration.ofMillis(1))));
        assertThat(throttle.tryAcquire()).isFalse();

        now.set(now.get().plus(Duration.ofMillis(1)));
        assertThat(throttle.tryAcquire()).isTrue();
        assertThat(throttle.tryAcquire()).isFalse();
    }

    @Test
    void aThousandPiecesInOneIntervalGiveOneUpdate() {
        int out = 0;
        for (int i = 0; i < 1000; i++) {
            if (throttle.tryAcquire()) {
                out++;
            }
            now.set(now.get().plus(Duration.ofNanos(ProgressThrottle.INTERVAL.toNanos() / 1000 - 1)));
        }
        assertThat(out).isEqualTo(1);
    }
}
