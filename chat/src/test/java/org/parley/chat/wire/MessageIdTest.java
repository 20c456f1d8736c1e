package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdTest {

    @Test
    void aNewIdStartsWithTheTimeInMillisecondsSoLaterIdsSortLater() throws Exception {
        long before = System.currentTimeMillis();
        MessageId first = MessageId.next();
        long after = System.currentTimeMillis();
        assertThat(timeOf(first)).isBetween(before, after);

        Thread.sleep(2);
        MessageId later = MessageId.next();
        // As SQLite compares blobs: byte by byte, unsigned.
        assertThat(Arrays.compareUnsigned(later.bytes(), first.bytes())).isPositive();
    }

    @Test
    void idsMadeInTheSameMillisecondDifferInTheirRandomBits() {
        Set<MessageId> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(MessageId.next());
        }
        assertThat(ids).hasSize(10_000);
    }

    private static long timeOf(MessageId id) {
        long millis = 0;
        for (int i = 0; i < MessageId.TIME_BYTES; i++) {
            millis = millis << 8 | (id.bytes()[i] & 0xff);
        }
        return millis;
    }
}
