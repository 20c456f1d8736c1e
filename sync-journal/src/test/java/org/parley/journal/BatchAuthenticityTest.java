package org.parley.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.testing.Device;
import org.parley.journal.testing.Tampering;
import org.parley.libp2p.testing.FakeClock;

/** A batch's authenticity from as few signature checks as its chains allow, and never more trust than they give. */
class BatchAuthenticityTest {

    private final FakeClock clock = new FakeClock();
    private final Device one = new Device(clock);
    private final Device two = new Device(clock);
    private final AtomicInteger checks = new AtomicInteger();
    private final Predicate<JournalEntry> counting = e -> {
        checks.incrementAndGet();
        return EntrySigner.signatureValid(e);
    };

    @Test
    void aRunOfOneDevicesEntriesNeedsOnlyItsLastSignatureChecked() {
        List<JournalEntry> batch = one.append(100, "m");

        boolean[] authentic = BatchAuthenticity.of(batch, counting);

        assertThat(authentic).containsOnly(true).hasSize(100);
        assertThat(checks).hasValue(1);
    }

    @Test
    void interleavedDevicesNeedOneCheckEach() {
        List<JournalEntry> a = one.append(5, "a");
        List<JournalEntry> b = two.append(5, "b");
        List<JournalEntry> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(a.get(i));
            batch.add(b.get(i));
        }

        assertThat(BatchAuthenticity.of(batch, counting)).containsOnly(true).hasSize(10);
        assertThat(checks).hasValue(2);
    }

    @Test
    void aTamperedEntryInsideARunIsNotVouchedForByItsSuccessor() throws Exception {
        List<JournalEntry> batch = new ArrayList<>(one.append(3, "m"));
        batch.set(1, Tampering.tampered(batch.get(1)));

        boolean[] authentic = BatchAuthenticity.of(batch, counting);

        // The third names the genuine second's hash, so it vouches for neither the tampered one nor the first.
        assertThat(authentic).containsExactly(true, false, true);
    }

    @Test
    void aBadLastSignatureLeavesEachEarlierEntryToItsOwnSignature() throws Exception {
        List<JournalEntry> batch = new ArrayList<>(one.append(3, "m"));
        batch.set(2, Tampering.withBrokenSignature(batch.get(2)));

        boolean[] authentic = BatchAuthenticity.of(batch, counting);

        // The second names the first's hash, so the two stand on the second's own, valid, signature.
        assertThat(authentic).containsExactly(true, true, false);
        assertThat(checks).hasValue(2);
    }

    @Test
    void entriesOutOfOrderAreStillVouchedForByTheirSuccessors() {
        List<JournalEntry> run = one.append(4, "m");
        List<JournalEntry> batch = List.of(run.get(3), run.get(1), run.get(0), run.get(2));

        assertThat(BatchAuthenticity.of(batch, counting)).containsOnly(true).hasSize(4);
        assertThat(checks).hasValue(1);
    }
}
