package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.transport.webrtc.RecordedTimers.Timer;

/**
 * {@link CloseCompletionWatch} with timers that only record, fired by each test itself: a close
 * the peer never completes reports the connection stuck once; a completed one does not.
 */
class CloseCompletionWatchTest {

    private final RecordedTimers recorded = new RecordedTimers();
    private final List<Timer> timers = recorded.scheduled;
    private final AtomicInteger stuck = new AtomicInteger();
    private final CloseCompletionWatch watch =
            new CloseCompletionWatch(recorded, CloseCompletionWatch.TIMEOUT, stuck::incrementAndGet);

    @Test
    void aCloseThePeerNeverCompletesIsReportedOnceAfterTheTimeout() {
        watch.closeStarted();

        assertThat(timers).singleElement().extracting(Timer::delay).isEqualTo(CloseCompletionWatch.TIMEOUT);
        assertThat(stuck).hasValue(0);
        timers.getFirst().task().run();
        timers.getFirst().task().run();
        assertThat(stuck).hasValue(1);
    }

    @Test
    void aCompletedCloseIsNotReportedEvenIfItsTimerAlreadyStarted() {
        watch.closeStarted();
        watch.closeCompleted();

        assertThat(timers.getFirst().future()).isCancelled();
        timers.getFirst().task().run();
        assertThat(stuck).hasValue(0);
    }

    @Test
    void closingTwiceArmsOneTimer() {
        watch.closeStarted();
        watch.closeStarted();

        assertThat(timers).hasSize(1);
    }

    @Test
    void aChannelThePeerClosedFirstArmsNoTimerWhenWeCloseItAfterwards() {
        // The peer's reset came first and libwebrtc completed the close on its own.
        watch.closeCompleted();
        watch.closeStarted();

        assertThat(timers).isEmpty();
        assertThat(stuck).hasValue(0);
    }
}
