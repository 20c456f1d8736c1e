package org.parley.journal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.journal.DeviceRoster;
import org.parley.journal.InvalidEntryException;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.testing.Device;
import org.parley.journal.testing.Exchanges;
import org.parley.journal.testing.Exchanges.Outcome;
import org.parley.libp2p.testing.FakeClock;

class JournalExchangeTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void twoDevicesEachGetWhatTheOtherWroteAndShowItInTheSameOrder() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        one.append(50, "one");
        clock.advance(Duration.ofMillis(1));
        two.append(20, "two");

        Outcome outcome = Exchanges.run(one, two, Device.roster(one, two));

        assertThat(outcome.initiator().entriesStored()).isEqualTo(20);
        assertThat(outcome.responder().entriesStored()).isEqualTo(50);
        assertThat(outcome.initiator().behindBefore()).isEqualTo(20);
        assertThat(outcome.responder().behindBefore()).isEqualTo(50);
        assertThat(one.journal.store().count()).isEqualTo(70);
        assertThat(one.texts()).hasSize(70).isEqualTo(two.texts()).doesNotHaveDuplicates();
        assertThat(one.journal.store().versionVector()).isEqualTo(two.journal.store().versionVector());
    }

    @Test
    void aDeviceBehindByNPullsExactlyTheNItLacks() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        DeviceRoster roster = Device.roster(one, two);
        one.append(990, "old");
        Exchanges.run(two, one, roster);
        List<JournalEntry> missing = one.append(10, "new");

        Outcome outcome = Exchanges.run(two, one, roster);

        assertThat(outcome.initiator().behindBefore()).isEqualTo(10);
        assertThat(outcome.initiator().entriesReceived()).isEqualTo(10);
        assertThat(outcome.initiator().entriesStored()).isEqualTo(10);
        assertThat(outcome.responder().entriesSent()).isEqualTo(10);
        long missingBytes = missing.stream().mapToLong(JournalEntry::encodedLength).sum();
        assertThat(outcome.initiator().entryBytesReceived()).isEqualTo(missingBytes);
        // Framing beyond the entries: two vectors of one device each, one batch header, Done.
        assertThat(outcome.initiator().bytesReceived() + outcome.initiator().bytesSent())
                .isLessThanOrEqualTo(missingBytes + 200);
        assertThat(two.texts()).isEqualTo(one.texts()).hasSize(1000).doesNotHaveDuplicates();
    }

    @Test
    void threeDevicesConvergeThroughPairwiseExchangesWithNothingDuplicated() throws Exception {
        Device a = new Device(clock);
        Device b = new Device(clock);
        Device c = new Device(clock);
        DeviceRoster roster = Device.roster(a, b, c);
        a.append(30, "a");
        b.append(700, "b");
        c.append(5, "c");
        Exchanges.run(a, b, roster);
        clock.advance(Duration.ofSeconds(1));
        c.append(5, "c later");
        Exchanges.run(c, b, roster);
        Exchanges.run(a, c, roster);

        for (Device d : List.of(a, b, c)) {
            assertThat(d.journal.store().count()).as("entries on %s", d.id).isEqualTo(740);
            assertThat(new HashSet<>(d.texts())).hasSize(740);
        }
        assertThat(a.texts()).isEqualTo(b.texts()).isEqualTo(c.texts());
    }

    @Test
    void aSecondExchangeChangesNothing() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        DeviceRoster roster = Device.roster(one, two);
        one.append(600, "one");
        two.append(3, "two");
        Exchanges.run(one, two, roster);

        Outcome again = Exchanges.run(two, one, roster);

        assertThat(again.initiator().entriesSent()).isZero();
        assertThat(again.responder().entriesSent()).isZero();
        assertThat(again.initiator().behindBefore()).isZero();
        assertThat(two.journal.store().count()).isEqualTo(603);
    }

    @Test
    void anInterruptedExchangeResumesFromWhatWasStored() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        DeviceRoster roster = Device.roster(one, two);
        one.append(3000, "one");

        // The connection drops after about 2.5 batches of the responder's stream.
        long budget = 2 * JournalLimits.MAX_BATCH_ENTRIES * 200L + 20_000;
        assertThatThrownBy(() -> Exchanges.run(two, one, roster, budget)).isInstanceOf(IOException.class);
        long storedBeforeDrop = two.journal.store().count();
        assertThat(storedBeforeDrop).isGreaterThan(0).isLessThan(3000);

        Outcome resumed = Exchanges.run(two, one, roster);

        assertThat(resumed.initiator().behindBefore()).isEqualTo(3000 - storedBeforeDrop);
        assertThat(resumed.initiator().entriesReceived()).isEqualTo((int) (3000 - storedBeforeDrop));
        assertThat(two.texts()).isEqualTo(one.texts()).hasSize(3000).doesNotHaveDuplicates();
    }

    @Test
    void aReplyNeverShowsBeforeTheMessageItAnswersWhenTheReplyingDevicesClockIsAnHourBehind() throws Exception {
        FakeClock behind = new FakeClock();
        clock.advance(Duration.ofHours(1));
        Device one = new Device(clock);
        Device two = new Device(behind);
        DeviceRoster roster = Device.roster(one, two);
        JournalEntry message = one.journal.append("chat.received", "are you coming?".getBytes());

        Exchanges.run(two, one, roster);
        JournalEntry reply = two.journal.append("chat.sent", "yes".getBytes());
        Exchanges.run(two, one, roster);

        assertThat(reply.hlc()).isGreaterThan(message.hlc());
        assertThat(one.texts()).containsExactly("are you coming?", "yes");
        assertThat(two.texts()).containsExactly("are you coming?", "yes");
    }

    @Test
    void anInvalidEntryStopsTheExchangeAndNothingOfItsBatchIsStored() throws Exception {
        Device one = new Device(clock);
        Device two = new Device(clock);
        Device stranger = new Device(clock);
        one.append(5, "one");
        stranger.append(5, "stranger");
        // one has somehow stored the stranger's chain (say, before the stranger was unlinked); two refuses it.
        one.journal.store().append(stranger.journal.store().after(stranger.id, 0, 10));

        assertThatThrownBy(() -> Exchanges.run(two, one, DeviceRoster.fixed(Set.of(one.id, two.id), Set.of())))
                .isInstanceOfSatisfying(InvalidEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidEntryException.Reason.NOT_A_DEVICE));
        assertThat(two.journal.store().versionVector().head(stranger.id)).isZero();
    }
}
