package org.parley.journal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.peer.PeerId;

/**
 * Which entries of a received batch are their devices' own, checking as few signatures as the
 * chains allow. An entry's hash covers all its bytes, its signature included, so an authentic
 * entry vouches for the entry whose hash it names as its previous: in a run of one device's
 * consecutive entries, the signature of the last one vouches for the whole run. Only an entry that
 * no authentic successor in the batch vouches for has its own signature checked. Ed25519
 * verification of every entry was a third of a first sync's CPU time (scripts/bench sync); now it
 * is one check per device run per batch. Stateless.
 */
final class BatchAuthenticity {

    private static final int NONE = -1;

    private BatchAuthenticity() {}

    /** For each entry of {@code batch}, in order, whether it is authentic. */
    static boolean[] of(List<JournalEntry> batch) {
        return of(batch, EntrySigner::signatureValid);
    }

    /** As {@link #of(List)}, with the signature check given (tests count its calls). */
    static boolean[] of(List<JournalEntry> batch, Predicate<JournalEntry> signatureValid) {
        int[] successor = successors(batch);
        boolean[] authentic = new boolean[batch.size()];
        // The last entries of the runs: checked on every core (a batch holds a run per device).
        int[] tails = IntStream.range(0, batch.size()).filter(i -> successor[i] == NONE).toArray();
        boolean[] tailValid = new boolean[tails.length];
        IntStream.range(0, tails.length).parallel()
                .forEach(t -> tailValid[t] = signatureValid.test(batch.get(tails[t])));
        for (int t = 0; t < tails.length; t++) {
            authentic[tails[t]] = tailValid[t];
        }
        // A successor has a higher sequence number, so in descending order it is decided first.
        for (int i : byDescendingSeq(batch)) {
            int next = successor[i];
            if (next != NONE) {
                // A run whose vouching successor failed: the entry must stand on its own signature.
                authentic[i] = authentic[next] || signatureValid.test(batch.get(i));
            }
        }
        return authentic;
    }

    /**
     * For each entry, the index of the batch's entry that follows it on its device (next sequence
     * number, naming its hash as previous), or {@link #NONE}.
     */
    private static int[] successors(List<JournalEntry> batch) {
        Map<Position, Integer> at = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            JournalEntry e = batch.get(i);
            at.putIfAbsent(new Position(e.device(), e.seq()), i);
        }
        int[] successor = new int[batch.size()];
        Arrays.fill(successor, NONE);
        for (int j = 0; j < batch.size(); j++) {
            JournalEntry e = batch.get(j);
            Integer before = at.get(new Position(e.device(), e.seq() - 1));
            if (before != null && successor[before] == NONE && e.follows(batch.get(before).hash())) {
                successor[before] = j;
            }
        }
        return successor;
    }

    private static Integer[] byDescendingSeq(List<JournalEntry> batch) {
        Integer[] order = new Integer[batch.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> batch.get(i).seq()).reversed());
        return order;
    }

    private record Position(PeerId device, long seq) {}
}
