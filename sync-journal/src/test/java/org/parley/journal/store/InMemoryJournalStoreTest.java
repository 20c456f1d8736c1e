package org.parley.journal.store;

/** The store contract on {@link InMemoryJournalStore}. */
class InMemoryJournalStoreTest extends JournalStoreContract {

    @Override
    protected JournalStore newStore() {
        return new InMemoryJournalStore();
    }
}
