package org.parley.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.testing.Device;
import org.parley.journal.testing.Exchanges;
import org.parley.libp2p.testing.FakeClock;

/** Appending several entries at once: one chain, one store transaction, what a sibling accepts. */
class JournalAppendTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void aBatchExtendsTheChainInOrderAndASiblingAcceptsIt() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        one.append(1, "before");
        AtomicInteger alongside = new AtomicInteger();
        List<JournalEntry> told = new ArrayList<>();
        one.journal.onAppend(told::add);

        List<JournalEntry> batch = one.journal.appendAll(List.of(draft("a"), draft("b"), draft("c")),
                alongside::incrementAndGet);

        assertThat(batch).extracting(JournalEntry::seq).containsExactly(2L, 3L, 4L);
        for (int i = 1; i < batch.size(); i++) {
            assertThat(batch.get(i).previousHash()).isEqualTo(batch.get(i - 1).hash());
        }
        assertThat(alongside.get()).as("alongside runs once for the batch").isEqualTo(1);
        assertThat(told).as("one nudge for the batch, with its last entry").containsExactly(batch.getLast());
        assertThat(one.journal.store().count()).isEqualTo(4);

        Exchanges.run(two, one, Device.roster(one, two));
        assertThat(two.texts()).containsExactly("before 0", "a", "b", "c");
    }

    @Test
    void anEmptyBatchIsRefused() {
        Device one = new Device(clock);
        assertThatThrownBy(() -> one.journal.appendAll(List.of(), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to append");
    }

    private static Journal.Draft draft(String text) {
        return new Journal.Draft("test.note", text.getBytes(StandardCharsets.UTF_8));
    }
}
