package org.parley.journal.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.testing.FakeClock;

class HlcTest {

    private final FakeClock clock = new FakeClock();
    private final Hlc hlc = new Hlc(clock);

    @Test
    void readingsFollowTheWallClockAndNeverRepeat() {
        HlcTimestamp a = hlc.now();
        HlcTimestamp b = hlc.now();
        clock.advance(Duration.ofMillis(5));
        HlcTimestamp c = hlc.now();

        assertThat(a.physicalMillis()).isEqualTo(clock.millis() - 5);
        assertThat(b).isEqualTo(new HlcTimestamp(a.physicalMillis(), 1));
        assertThat(c).isEqualTo(new HlcTimestamp(clock.millis(), 0));
    }

    @Test
    void aReadingFromASiblingAnHourAheadOrdersLaterReadingsAfterIt() {
        HlcTimestamp sibling = new HlcTimestamp(clock.millis() + Duration.ofHours(1).toMillis(), 3);
        hlc.observe(sibling);
        assertThat(hlc.now()).isGreaterThan(sibling);
    }

    @Test
    void aReadingBeyondTheSkewBoundIsIgnored() {
        HlcTimestamp absurd = new HlcTimestamp(clock.millis() + Hlc.MAX_SKEW_MILLIS + 1, 0);
        hlc.observe(absurd);
        assertThat(hlc.now().physicalMillis()).isEqualTo(clock.millis());
    }

    @Test
    void theCounterBorrowsTheNextMillisecondRatherThanWrap() {
        hlc.observe(new HlcTimestamp(clock.millis(), HlcTimestamp.MAX_COUNTER));
        assertThat(hlc.now()).isEqualTo(new HlcTimestamp(clock.millis() + 1, 0));
    }
}
