package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.HlcTimestamp;

/**
 * The chat's hybrid logical clock on a clock an hour behind: a reply orders after the message it
 * answers, while a reading that far ahead does not move the clock for other conversations.
 */
class HlcTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3_600_000L;

    private final Hlc hlc = new Hlc(InstantSource.fixed(Instant.ofEpochMilli(NOW - HOUR)));

    @Test
    void aReplyOrdersAfterAMessageFromAnHourAhead() {
        HlcTimestamp question = new HlcTimestamp(NOW, 3);
        hlc.observe(question);

        HlcTimestamp reply = hlc.nowAfter(Optional.of(question));

        assertThat(reply).isEqualTo(new HlcTimestamp(NOW, 4));
        assertThat(reply.compareTo(question)).isPositive();
    }

    @Test
    void aFarReadingOrdersOnlyItsConversation() {
        hlc.nowAfter(Optional.of(new HlcTimestamp(NOW, 0)));

        HlcTimestamp elsewhere = hlc.now();

        assertThat(elsewhere.physicalMillis()).isEqualTo(NOW - HOUR);
    }

    @Test
    void aConversationBehindTheClockTakesTheClocksReading() {
        HlcTimestamp before = hlc.now();

        HlcTimestamp next = hlc.nowAfter(Optional.of(new HlcTimestamp(NOW - 2 * HOUR, 0)));

        assertThat(next.compareTo(before)).isPositive();
        assertThat(next.physicalMillis()).isEqualTo(NOW - HOUR);
        assertThat(hlc.nowAfter(Optional.empty()).compareTo(next)).isPositive();
    }

    @Test
    void theCounterRollsIntoTheNextMillisecond() {
        HlcTimestamp full = new HlcTimestamp(NOW, HlcTimestamp.MAX_COUNTER);

        assertThat(hlc.nowAfter(Optional.of(full))).isEqualTo(new HlcTimestamp(NOW + 1, 0));
    }
}
