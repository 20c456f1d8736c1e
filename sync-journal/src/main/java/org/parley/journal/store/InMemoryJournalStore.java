package org.parley.journal.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.peer.PeerId;

/** A {@link JournalStore} in memory, for tests and tools; nothing survives the process. Thread safe. */
public final class InMemoryJournalStore implements JournalStore {

    private final Map<PeerId, List<JournalEntry>> chains = new HashMap<>();
    private final TreeSet<JournalEntry> display = new TreeSet<>(JournalEntry.DISPLAY_ORDER);

    @Override
    public synchronized VersionVector versionVector() {
        Map<PeerId, Long> heads = new HashMap<>();
        chains.forEach((device, chain) -> heads.put(device, (long) chain.size()));
        return new VersionVector(heads);
    }

    @Override
    public synchronized ChainHead head(PeerId device) {
        List<JournalEntry> chain = chains.get(device);
        return chain == null ? ChainHead.NONE : ChainHead.of(chain.getLast());
    }

    @Override
    public synchronized Optional<JournalEntry> get(PeerId device, long seq) {
        List<JournalEntry> chain = chains.getOrDefault(device, List.of());
        return seq >= 1 && seq <= chain.size() ? Optional.of(chain.get((int) seq - 1)) : Optional.empty();
    }

    @Override
    public synchronized List<JournalEntry> after(PeerId device, long afterSeq, int limit) {
        List<JournalEntry> chain = chains.getOrDefault(device, List.of());
        int from = (int) Math.max(0, Math.min(afterSeq, chain.size()));
        return List.copyOf(chain.subList(from, Math.min(chain.size(), from + limit)));
    }

    @Override
    public synchronized void append(List<JournalEntry> entries) {
        Map<PeerId, ChainHead> heads = new HashMap<>();
        for (JournalEntry e : entries) {
            ChainHead head = heads.computeIfAbsent(e.device(), this::head);
            if (e.seq() != head.seq() + 1 || !e.follows(head.hash())) {
                throw new IllegalArgumentException(e + " does not extend its chain at " + head.seq());
            }
            heads.put(e.device(), ChainHead.of(e));
        }
        for (JournalEntry e : entries) {
            chains.computeIfAbsent(e.device(), d -> new ArrayList<>()).add(e);
            display.add(e);
        }
    }

    @Override
    public synchronized List<JournalEntry> inDisplayOrder(long offset, int limit) {
        return display.stream().skip(offset).limit(limit).toList();
    }

    @Override
    public synchronized long count() {
        return display.size();
    }
}
