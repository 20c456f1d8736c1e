package org.parley.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.testing.Device;
import org.parley.journal.testing.Exchanges;
import org.parley.libp2p.testing.FakeClock;

class JournalViewTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void editsAndDeletesAreNewEntriesAndEveryDeviceShowsTheSameResult() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        DeviceRoster roster = Device.roster(one, two);
        JournalEntry hello = one.journal.append("chat.sent", bytes("helo"));
        JournalEntry bye = one.journal.append("chat.sent", bytes("bye"));
        Exchanges.run(two, one, roster);

        JournalView.edit(two.journal, EntryRef.of(hello), bytes("hello"));
        JournalView.delete(one.journal, EntryRef.of(bye));
        Exchanges.run(two, one, roster);

        for (Device d : List.of(one, two)) {
            List<JournalView.Item> view = JournalView.of(d.journal, d.journal.entries(0, 100));
            assertThat(view).hasSize(1);
            assertThat(view.getFirst().ref()).isEqualTo(EntryRef.of(hello));
            assertThat(new String(view.getFirst().payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(view.getFirst().edited()).isTrue();
            // Nothing was rewritten: the original entries are all still there.
            assertThat(d.journal.store().count()).isEqualTo(4);
            assertThat(d.journal.store().get(one.id, 1)).contains(hello);
        }
    }

    @Test
    void theLatestEditWins() throws Exception {
        Device one = new Device(clock);
        JournalEntry note = one.journal.append("note", bytes("a"));
        JournalView.edit(one.journal, EntryRef.of(note), bytes("b"));
        JournalView.edit(one.journal, EntryRef.of(note), bytes("c"));

        List<JournalView.Item> view = JournalView.of(one.journal, one.journal.entries(0, 100));

        assertThat(view).extracting(i -> new String(i.payload(), StandardCharsets.UTF_8)).containsExactly("c");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
