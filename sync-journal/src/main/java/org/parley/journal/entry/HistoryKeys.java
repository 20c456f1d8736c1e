package org.parley.journal.entry;

import java.util.Optional;

/**
 * Where the journal gets the user's history keys: the current one seals new entries, older ones
 * (by id) still open entries sealed before a rotation. The node supplies the real source from
 * device linking; tests use {@link #fixed}. Implementations are thread safe.
 */
public interface HistoryKeys {

    /** The key new entries are sealed with. */
    HistoryKey current();

    /** The key with this id, if this device has it. */
    Optional<HistoryKey> byId(int id);

    /** A source holding one key that never rotates. */
    static HistoryKeys fixed(HistoryKey key) {
        return new HistoryKeys() {
            @Override
            public HistoryKey current() {
                return key;
            }

            @Override
            public Optional<HistoryKey> byId(int id) {
                return id == key.id() ? Optional.of(key) : Optional.empty();
            }
        };
    }
}
