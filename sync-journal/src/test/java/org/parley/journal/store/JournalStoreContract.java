package org.parley.journal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HistoryKey;
import org.parley.journal.entry.HlcTimestamp;
import org.parley.journal.entry.JournalEntry;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/**
 * What every {@link JournalStore} must do, run against each implementation: the in-memory one
 * here, the node's SQLite one in the node. Subclasses give a fresh empty store per test.
 */
public abstract class JournalStoreContract {

    private static final HistoryKey KEY = new HistoryKey(1, new byte[32]);

    protected abstract JournalStore newStore() throws Exception;

    /** A chain of {@code n} entries by {@code signer}, the i-th at HLC (millis(i), 0). */
    protected static List<JournalEntry> chain(EntrySigner signer, int n, java.util.function.IntToLongFunction millis) {
        List<JournalEntry> out = new ArrayList<>();
        byte[] previous = JournalEntry.NO_PREVIOUS;
        for (int i = 0; i < n; i++) {
            JournalEntry e = signer.sign(i + 1, new HlcTimestamp(millis.applyAsLong(i), 0), previous, "t", KEY,
                    new byte[] {(byte) i});
            out.add(e);
            previous = e.hash();
        }
        return out;
    }

    @Test
    void anEmptyStoreHoldsNothing() throws Exception {
        JournalStore store = newStore();
        PeerId anyone = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(store.versionVector()).isEqualTo(VersionVector.EMPTY);
        assertThat(store.head(anyone)).isEqualTo(ChainHead.NONE);
        assertThat(store.get(anyone, 1)).isEmpty();
        assertThat(store.after(anyone, 0, 10)).isEmpty();
        assertThat(store.inDisplayOrder(0, 10)).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void whatIsAppendedReadsBackByDeviceAndSequence() throws Exception {
        JournalStore store = newStore();
        EntrySigner signer = new EntrySigner(Ed25519PrivateKey.generate());
        List<JournalEntry> entries = chain(signer, 7, i -> 1000 + i);
        store.append(entries.subList(0, 3));
        store.append(entries.subList(3, 7));

        assertThat(store.count()).isEqualTo(7);
        assertThat(store.versionVector()).isEqualTo(new VersionVector(Map.of(signer.device(), 7L)));
        assertThat(store.head(signer.device())).isEqualTo(ChainHead.of(entries.get(6)));
        assertThat(store.get(signer.device(), 4)).contains(entries.get(3));
        assertThat(store.get(signer.device(), 8)).isEmpty();
        assertThat(store.after(signer.device(), 2, 3)).containsExactlyElementsOf(entries.subList(2, 5));
        assertThat(store.after(signer.device(), 6, 10)).containsExactly(entries.get(6));
    }

    @Test
    void refusesAnEntryThatDoesNotExtendItsChainAndKeepsNoneOfItsBatch() throws Exception {
        JournalStore store = newStore();
        EntrySigner signer = new EntrySigner(Ed25519PrivateKey.generate());
        List<JournalEntry> entries = chain(signer, 4, i -> 1000 + i);
        store.append(entries.subList(0, 1));

        assertThatThrownBy(() -> store.append(List.of(entries.get(1), entries.get(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not extend its chain at 2");
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.head(signer.device()).seq()).isEqualTo(1);
    }

    @Test
    void displayOrderIsHlcThenDeviceThenSequence() throws Exception {
        JournalStore store = newStore();
        EntrySigner a = new EntrySigner(Ed25519PrivateKey.generate());
        EntrySigner b = new EntrySigner(Ed25519PrivateKey.generate());
        // Both devices write at the same three milliseconds; b also at an earlier one.
        List<JournalEntry> fromA = chain(a, 3, i -> 2000 + i);
        List<JournalEntry> fromB = chain(b, 4, i -> i == 0 ? 1000 : 2000 + i - 1);
        store.append(fromA);
        store.append(fromB);

        List<JournalEntry> expected = new ArrayList<>(fromA);
        expected.addAll(fromB);
        expected.sort(JournalEntry.DISPLAY_ORDER);
        assertThat(store.inDisplayOrder(0, 100)).containsExactlyElementsOf(expected);
        assertThat(store.inDisplayOrder(0, 100).getFirst()).isEqualTo(fromB.getFirst());
        assertThat(store.inDisplayOrder(2, 3)).containsExactlyElementsOf(expected.subList(2, 5));
    }
}
