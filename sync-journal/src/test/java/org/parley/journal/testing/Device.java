package org.parley.journal.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.parley.journal.DeviceRoster;
import org.parley.journal.Journal;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HistoryKey;
import org.parley.journal.entry.HistoryKeys;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.entry.UnreadableEntryException;
import org.parley.journal.store.InMemoryJournalStore;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/** One test device of a test user: its key, an in-memory journal, and the user's fixed history key. */
public final class Device {

    public static final HistoryKey HISTORY_KEY = new HistoryKey(1, new byte[32]);

    public final Ed25519PrivateKey key;
    public final PeerId id;
    public final Journal journal;

    public Device(Clock clock) {
        this(Ed25519PrivateKey.generate(), clock);
    }

    public Device(Ed25519PrivateKey key, Clock clock) {
        this.key = key;
        this.id = PeerId.fromPublicKey(key.publicKey());
        this.journal = new Journal(new InMemoryJournalStore(), new EntrySigner(key), HistoryKeys.fixed(HISTORY_KEY),
                clock);
    }

    /** Appends {@code n} entries of kind {@code test.note} with payloads "prefix i". */
    public List<JournalEntry> append(int n, String prefix) {
        List<JournalEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(journal.append("test.note", (prefix + " " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Every payload in display order, as text. */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (JournalEntry e : journal.entries(0, Integer.MAX_VALUE)) {
            try {
                out.add(new String(journal.open(e), StandardCharsets.UTF_8));
            } catch (UnreadableEntryException ex) {
                throw new AssertionError(ex);
            }
        }
        return out;
    }

    /** A roster holding exactly these devices, none revoked. */
    public static DeviceRoster roster(Device... devices) {
        return DeviceRoster.fixed(java.util.Arrays.stream(devices).map(d -> d.id).collect(
                java.util.stream.Collectors.toSet()), java.util.Set.of());
    }
}
