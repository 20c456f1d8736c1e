package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

/** Credit accounting and window growth, with explicit timestamps instead of a clock. */
class YamuxReceiveWindowTest {

    private static final int INITIAL = YamuxConfig.INITIAL_STREAM_WINDOW;
    private static final long MS = 1_000_000;
    private static final long UNKNOWN_RTT = -1;

    private final YamuxReceiveWindow window = new YamuxReceiveWindow(YamuxConfig.DEFAULT_MAX_STREAM_WINDOW, 0);

    @Test
    void returnsNothingBeforeHalfTheWindowWasConsumed() throws PeerFaultException {
        window.receive(INITIAL, 1);

        assertThat(window.consume(INITIAL / 2 - 1, 100 * MS, UNKNOWN_RTT)).isZero();
        assertThat(window.credit()).isZero();
    }

    @Test
    void returnsWhatWasConsumedOnceHalfTheWindowWas() throws PeerFaultException {
        window.receive(INITIAL, 1);
        window.consume(INITIAL / 2 - 1, 100 * MS, UNKNOWN_RTT);

        assertThat(window.consume(1, 100 * MS, UNKNOWN_RTT)).isEqualTo(INITIAL / 2);
        assertThat(window.credit()).isEqualTo(INITIAL / 2);
        assertThat(window.window()).isEqualTo(INITIAL);
    }

    @Test
    void doublesTheWindowWhenHalfOfItWasConsumedWithinTwoRoundTrips() throws PeerFaultException {
        window.receive(INITIAL, 1);

        assertThat(window.consume(INITIAL / 2, 2 * MS, MS)).isEqualTo(INITIAL / 2 + INITIAL);
        assertThat(window.window()).isEqualTo(2 * INITIAL);
        assertThat(window.credit()).isEqualTo(INITIAL / 2 + INITIAL);
    }

    @Test
    void keepsTheWindowWhenTheReaderIsSlowerThanTwoRoundTrips() throws PeerFaultException {
        window.receive(INITIAL, 1);

        assertThat(window.consume(INITIAL / 2, 2 * MS + 1, MS)).isEqualTo(INITIAL / 2);
        assertThat(window.window()).isEqualTo(INITIAL);
    }

    @Test
    void measuresEachEpochFromTheLastUpdate() throws PeerFaultException {
        window.receive(INITIAL, 1);
        window.consume(INITIAL / 2, 10 * MS, MS);

        window.receive(INITIAL / 2, 1);
        assertThat(window.consume(INITIAL / 2, 11 * MS, MS)).isEqualTo(INITIAL / 2 + INITIAL);
    }

    @Test
    void neverGrowsBeyondTheMaximum() throws PeerFaultException {
        YamuxReceiveWindow small = new YamuxReceiveWindow(INITIAL + INITIAL / 2, 0);
        small.receive(INITIAL, 1);

        assertThat(small.consume(INITIAL / 2, 0, MS)).isEqualTo(INITIAL);
        assertThat(small.window()).isEqualTo(INITIAL + INITIAL / 2);
    }

    @Test
    void neverGrowsBeforeARoundTripWasMeasured() throws PeerFaultException {
        window.receive(INITIAL, 1);

        assertThat(window.consume(INITIAL / 2, 0, UNKNOWN_RTT)).isEqualTo(INITIAL / 2);
        assertThat(window.window()).isEqualTo(INITIAL);
    }

    @Test
    void rejectsDataBeyondTheCredit() throws PeerFaultException {
        window.receive(200_000, 5);

        assertThatThrownBy(() -> window.receive(62_145, 5))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux frame of 62145 bytes exceeds the 62144-byte window of stream 5");
    }
}
