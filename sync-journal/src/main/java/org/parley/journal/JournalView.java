package org.parley.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.journal.entry.HlcTimestamp;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.entry.UnreadableEntryException;
import org.parley.libp2p.core.PeerFaultException;

/**
 * The journal as a reader sees it: entries in display order with edits and deletes applied.
 * Edits and deletes are entries of their own ({@link #EDIT}, {@link #DELETE}) naming their target
 * by {@link EntryRef}; nothing is rewritten, so every device that holds the same entries shows
 * the same view. Of several edits the one latest in display order wins; a delete hides the
 * entry whatever its edits. Stateless.
 */
public final class JournalView {

    /** Kind of an edit: payload is the target's reference, then the new payload. */
    public static final String EDIT = "journal.edit";

    /** Kind of a delete (a tombstone): payload is the target's reference. */
    public static final String DELETE = "journal.delete";

    /** One visible item: the original entry's reference, kind and time, and its current payload. */
    public record Item(EntryRef ref, String kind, HlcTimestamp hlc, byte[] payload, boolean edited) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Item i && i.ref.equals(ref) && i.kind.equals(kind) && i.hlc.equals(hlc)
                    && Arrays.equals(i.payload, payload) && i.edited == edited;
        }

        @Override
        public int hashCode() {
            return ref.hashCode();
        }
    }

    private JournalView() {}

    /** Appends an edit of {@code target} whose new payload is {@code payload}. */
    public static JournalEntry edit(JournalWriter writer, EntryRef target, byte[] payload) {
        byte[] ref = target.encode();
        return writer.append(EDIT, ByteBuffer.allocate(ref.length + payload.length).put(ref).put(payload).array());
    }

    /** Appends a delete of {@code target}. */
    public static JournalEntry delete(JournalWriter writer, EntryRef target) {
        return writer.append(DELETE, target.encode());
    }

    /**
     * The visible items of {@code entries} (given in display order), opened with {@code journal}'s
     * history keys. An edit or delete that cannot be read or names an entry not held is skipped:
     * it changes nothing it cannot prove.
     *
     * @throws UnreadableEntryException if an ordinary entry's payload does not open
     */
    public static List<Item> of(Journal journal, List<JournalEntry> entries) throws UnreadableEntryException {
        Map<EntryRef, Item> items = new LinkedHashMap<>();
        Map<EntryRef, byte[]> edits = new HashMap<>();
        List<EntryRef> deleted = new ArrayList<>();
        for (JournalEntry e : entries) {
            byte[] payload = journal.open(e);
            switch (e.kind()) {
                case EDIT, DELETE -> {
                    ByteBuffer b = ByteBuffer.wrap(payload);
                    EntryRef target;
                    try {
                        target = EntryRef.decode(b);
                    } catch (PeerFaultException ex) {
                        continue;
                    }
                    if (e.kind().equals(DELETE)) {
                        deleted.add(target);
                    } else {
                        byte[] replacement = new byte[b.remaining()];
                        b.get(replacement);
                        edits.put(target, replacement);
                    }
                }
                default -> items.put(EntryRef.of(e), new Item(EntryRef.of(e), e.kind(), e.hlc(), payload, false));
            }
        }
        deleted.forEach(items::remove);
        List<Item> out = new ArrayList<>(items.size());
        for (Item item : items.values()) {
            byte[] edited = edits.get(item.ref());
            out.add(edited == null ? item : new Item(item.ref(), item.kind(), item.hlc(), edited, true));
        }
        return out;
    }
}
