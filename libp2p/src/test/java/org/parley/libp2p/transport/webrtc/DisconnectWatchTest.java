package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.transport.webrtc.RecordedTimers.Timer;

/**
 * {@link DisconnectWatch} with a scheduler that only records its timers, so each test fires them
 * itself: a connection that stays disconnected is closed, one that comes back is not.
 */
class DisconnectWatchTest {

    private final RecordedTimers recorded = new RecordedTimers();
    private final List<Timer> timers = recorded.scheduled;
    private final AtomicInteger closes = new AtomicInteger();
    private final DisconnectWatch watch = new DisconnectWatch(recorded, DisconnectWatch.GRACE, closes::incrementAndGet);

    @Test
    void aConnectionThatStaysDisconnectedIsClosedAfterTheGrace() {
        watch.disconnected();

        assertThat(timers).singleElement().extracting(Timer::delay).isEqualTo(DisconnectWatch.GRACE);
        assertThat(closes).hasValue(0);
        timers.getFirst().fire();
        assertThat(closes).hasValue(1);
    }

    @Test
    void aConnectionThatComesBackWithinTheGraceStaysOpen() {
        watch.disconnected();
        watch.connected();

        assertThat(timers.getFirst().future()).isCancelled();
        // Even if the timer had already started when the connection came back, it does nothing.
        timers.getFirst().task().run();
        assertThat(closes).hasValue(0);
    }

    @Test
    void anEarlierDisconnectionsTimerDoesNotCutAShortLaterOne() {
        watch.disconnected();
        watch.connected();
        watch.disconnected();

        assertThat(timers).hasSize(2);
        timers.get(0).task().run();
        assertThat(closes).as("the first disconnection ended; its timer is stale").hasValue(0);
        timers.get(1).fire();
        assertThat(closes).hasValue(1);
    }

    @Test
    void repeatedDisconnectedReportsArmOneTimer() {
        watch.disconnected();
        watch.disconnected();

        assertThat(timers).hasSize(1);
        timers.getFirst().fire();
        timers.getFirst().fire();
        assertThat(closes).hasValue(1);
    }
}
