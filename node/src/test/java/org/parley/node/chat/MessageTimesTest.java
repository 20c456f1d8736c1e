package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.MessageId;

class MessageTimesTest {

    @Test
    void keepsTheFirstTimeOfEachIdAndSubtractsTheTimesOfIdsBothHold() {
        List<String> ids = new ArrayList<>();
        MessageTimes sent = new MessageTimes(1_000);
        MessageTimes delivered = new MessageTimes(1_000);
        for (int i = 0; i < 1_000; i++) {
            ids.add(MessageId.next().toString());
            assertThat(sent.putIfAbsent(ids.get(i), 10L * i)).isTrue();
        }
        assertThat(sent.putIfAbsent(ids.getFirst(), 99)).as("a second time for one id").isFalse();
        for (int i = 0; i < 500; i++) {
            assertThat(delivered.putIfAbsent(ids.get(i), 10L * i + 7)).isTrue();
        }
        long[] latencies = delivered.since(sent);
        assertThat(latencies).hasSize(500).containsOnly(7L);
    }

    @Test
    void refusesWhatIsNotAMessageIdAndMoreIdsThanItHasRoomFor() {
        MessageTimes times = new MessageTimes(16);
        assertThatThrownBy(() -> times.putIfAbsent("abc", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                times.putIfAbsent(MessageId.next().toString(), i);
            }
        }).isInstanceOf(IllegalStateException.class);
    }
}
