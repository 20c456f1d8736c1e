package org.parley.journal;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HistoryKeys;
import org.parley.journal.entry.Hlc;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.entry.PayloadCipher;
import org.parley.journal.entry.UnreadableEntryException;
import org.parley.journal.store.ChainHead;
import org.parley.journal.store.JournalStore;
import org.parley.libp2p.peer.PeerId;

/**
 * One device's view of the user's journal: appends this device's entries (sequence number, HLC,
 * chain link, sealed payload, signature), accepts siblings' entries after checking them, and
 * opens payloads for display. Appends and accepts are serialised, so a chain is only ever
 * extended from its current head. Thread safe.
 */
public final class Journal implements JournalWriter {

    private final JournalStore store;
    private final EntrySigner signer;
    private final HistoryKeys keys;
    private final Hlc hlc;
    private final List<Consumer<JournalEntry>> appendListeners = new CopyOnWriteArrayList<>();

    public Journal(JournalStore store, EntrySigner signer, HistoryKeys keys, InstantSource clock) {
        this.store = store;
        this.signer = signer;
        this.keys = keys;
        this.hlc = new Hlc(clock);
        // After a restart the clock must not fall behind what the journal already holds.
        long count = store.count();
        if (count > 0) {
            store.inDisplayOrder(count - 1, 1).forEach(e -> hlc.observe(e.hlc()));
        }
    }

    /** This device's PeerId, the device of every entry {@link #append} makes. */
    public PeerId device() {
        return signer.device();
    }

    public JournalStore store() {
        return store;
    }

    @Override
    public JournalEntry append(String kind, byte[] payload) {
        return append(kind, payload, () -> { });
    }

    /**
     * Appends an entry as {@link #append(String, byte[])} does, and runs {@code alongside} in the
     * store's transaction of that append (see {@link JournalStore#append(List, Runnable)}): an
     * application that queued the change in its own transaction drops it from its queue here, so a
     * crash leaves either the queued change or the entry, never both and never neither.
     */
    public JournalEntry append(String kind, byte[] payload, Runnable alongside) {
        return appendAll(List.of(new Draft(kind, payload)), alongside).getFirst();
    }

    /** An entry to append: its kind and plaintext payload. */
    public record Draft(String kind, byte[] payload) {
        public Draft {
            java.util.Objects.requireNonNull(kind, "kind");
            java.util.Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * Appends one entry per draft, in order, in one store transaction that also runs
     * {@code alongside}: a burst of changes costs one commit, not one each.
     *
     * @return the entries appended, in order
     * @throws IllegalArgumentException if {@code drafts} is empty
     */
    public List<JournalEntry> appendAll(List<Draft> drafts, Runnable alongside) {
        if (drafts.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        List<JournalEntry> entries = new ArrayList<>(drafts.size());
        synchronized (this) {
            ChainHead head = store.head(device());
            for (Draft d : drafts) {
                JournalEntry entry = signer.sign(head.seq() + 1, hlc.now(), head.hash(), d.kind(), keys.current(),
                        d.payload());
                entries.add(entry);
                head = ChainHead.of(entry);
            }
            store.append(entries, alongside);
        }
        // Once per batch: the entries go to siblings together, so one nudge covers them all.
        JournalEntry last = entries.getLast();
        appendListeners.forEach(l -> l.accept(last));
        return entries;
    }

    /**
     * Calls {@code listener} after each local append (with the last entry of a batch), outside the
     * journal's lock (the node pushes to siblings).
     */
    public void onAppend(Consumer<JournalEntry> listener) {
        appendListeners.add(listener);
    }

    /**
     * Checks a batch received from a sibling and stores the entries not yet held, in one
     * transaction. An entry already held with the same bytes is skipped, so a repeated batch
     * changes nothing.
     *
     * @return the entries newly stored
     * @throws InvalidEntryException for the first entry that fails a check; nothing of the batch is stored
     */
    public List<JournalEntry> accept(List<JournalEntry> batch, DeviceRoster roster) throws InvalidEntryException {
        List<JournalEntry> fresh = new ArrayList<>(batch.size());
        // Signatures are the costly check: decide authenticity outside the lock, and use the
        // verdicts in the ordered checks below.
        boolean[] authentic = BatchAuthenticity.of(batch);
        synchronized (this) {
            Map<PeerId, ChainHead> heads = new HashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                JournalEntry entry = batch.get(i);
                ChainHead head = heads.computeIfAbsent(entry.device(), store::head);
                if (EntryVerifier.check(entry, authentic[i], head, store, roster)) {
                    fresh.add(entry);
                    heads.put(entry.device(), ChainHead.of(entry));
                }
            }
            if (!fresh.isEmpty()) {
                store.append(fresh);
            }
        }
        fresh.forEach(e -> hlc.observe(e.hlc()));
        return fresh;
    }

    /**
     * The plaintext payload of a stored entry.
     *
     * @throws UnreadableEntryException if this device lacks its history key or it does not open
     */
    public byte[] open(JournalEntry entry) throws UnreadableEntryException {
        return PayloadCipher.open(entry, keys);
    }

    /** Up to {@code limit} entries in display order, skipping {@code offset}. */
    public List<JournalEntry> entries(long offset, int limit) {
        return store.inDisplayOrder(offset, limit);
    }
}
