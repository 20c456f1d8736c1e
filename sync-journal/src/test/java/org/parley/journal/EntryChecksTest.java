package org.parley.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.journal.InvalidEntryException.Reason;
import org.parley.journal.entry.EntryCodec;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HlcTimestamp;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.testing.Device;
import org.parley.journal.testing.Tampering;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.testing.FakeClock;

/** Every check a received entry must pass, each failure refused with its reason and nothing stored. */
class EntryChecksTest {

    private final FakeClock clock = new FakeClock();
    private final Device sender = new Device(clock);
    private final Device receiver = new Device(clock);

    private void assertRefused(List<JournalEntry> batch, DeviceRoster roster, Reason reason) {
        long before = receiver.journal.store().count();
        assertThatThrownBy(() -> receiver.journal.accept(batch, roster))
                .isInstanceOfSatisfying(InvalidEntryException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(receiver.journal.store().count()).isEqualTo(before);
    }

    @Test
    void acceptsAValidBatchAndSkipsItWhenRepeated() throws Exception {
        List<JournalEntry> batch = sender.append(4, "m");
        DeviceRoster roster = Device.roster(sender, receiver);

        assertThat(receiver.journal.accept(batch, roster)).hasSize(4);
        assertThat(receiver.journal.accept(batch, roster)).isEmpty();
        assertThat(receiver.journal.store().count()).isEqualTo(4);
    }

    @Test
    void refusesATamperedEntry() throws Exception {
        List<JournalEntry> batch = sender.append(2, "m");

        assertRefused(List.of(batch.get(0), Tampering.tampered(batch.get(1))), Device.roster(sender, receiver), Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedEntryInsideARunWhoseLastEntryIsGenuine() throws Exception {
        List<JournalEntry> batch = sender.append(3, "m");

        assertRefused(List.of(batch.get(0), Tampering.tampered(batch.get(1)), batch.get(2)), Device.roster(sender, receiver),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesABatchWhoseLastSignatureIsBrokenAndStoresNoneOfIt() throws Exception {
        List<JournalEntry> batch = sender.append(3, "m");

        assertRefused(List.of(batch.get(0), batch.get(1), Tampering.withBrokenSignature(batch.get(2))), Device.roster(sender, receiver),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesAnEntrySignedByAnotherKeyThanItsDevice() throws Exception {
        JournalEntry genuine = sender.append(1, "m").getFirst();
        // Same fields under a forger's key, then the device id swapped back to the sender's.
        JournalEntry forged = new EntrySigner(Ed25519PrivateKey.generate()).sign(1, genuine.hlc(),
                JournalEntry.NO_PREVIOUS, genuine.kind(), Device.HISTORY_KEY, "m 0".getBytes());
        byte[] bytes = forged.encoded();
        byte[] senderId = sender.id.bytes();
        System.arraycopy(senderId, 0, bytes, 2, senderId.length);
        JournalEntry claimed = EntryCodec.decode(bytes);
        assertThat(claimed.device()).isEqualTo(sender.id);

        assertRefused(List.of(claimed), Device.roster(sender, receiver), Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesAnEntryFromARevokedDevice() {
        List<JournalEntry> batch = sender.append(1, "m");
        DeviceRoster roster = DeviceRoster.fixed(Set.of(sender.id, receiver.id), Set.of(sender.id));
        assertRefused(batch, roster, Reason.REVOKED_DEVICE);
    }

    @Test
    void refusesAnEntryFromADeviceNotOnTheList() {
        assertRefused(sender.append(1, "m"), Device.roster(receiver), Reason.NOT_A_DEVICE);
    }

    @Test
    void refusesAChainWithAGap() {
        List<JournalEntry> batch = sender.append(3, "m");
        assertRefused(List.of(batch.get(0), batch.get(2)), Device.roster(sender, receiver), Reason.BROKEN_CHAIN);
    }

    @Test
    void refusesAnEntryThatDoesNotNameItsPredecessor() throws Exception {
        JournalEntry first = sender.append(1, "m").getFirst();
        JournalEntry wrongLink = new EntrySigner(sender.key).sign(2, new HlcTimestamp(clock.millis(), 5),
                new byte[JournalEntry.HASH_BYTES], "test.note", Device.HISTORY_KEY, "x".getBytes());
        assertRefused(List.of(first, wrongLink), Device.roster(sender, receiver), Reason.BROKEN_CHAIN);
    }

    @Test
    void refusesASecondDifferentEntryWithAHeldSequenceNumber() throws Exception {
        DeviceRoster roster = Device.roster(sender, receiver);
        receiver.journal.accept(sender.append(1, "m"), roster);
        JournalEntry fork = new EntrySigner(sender.key).sign(1, new HlcTimestamp(clock.millis(), 7),
                JournalEntry.NO_PREVIOUS, "test.note", Device.HISTORY_KEY, "other".getBytes());
        assertRefused(List.of(fork), roster, Reason.FORK);
    }
}
