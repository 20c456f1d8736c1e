package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferred writes on a real database: held writes reach the file only with the transaction that
 * commits them, with that transaction's own work, all or nothing; their in-memory copies are undone
 * whenever they are not committed; and a thread that defers cannot commit part of them early.
 */
class DeferredWritesTest {

    @TempDir
    Path dir;

    private NodeDatabase database;
    /** What the undos ran, in order: stands for a store's cache. */
    private final List<String> undone = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        database = KeyTable.open(dir.resolve("parley.db"));
    }

    @AfterEach
    void close() throws Exception {
        database.close();
    }

    private static SqlWork<Integer> insert(int k) {
        return KeyTable.insert(k);
    }

    private void write(int k) throws StorageException {
        database.write(insert(k), () -> undone.add("undo " + k));
    }

    private List<Integer> rows() throws StorageException {
        return KeyTable.keys(database);
    }

    @Test
    void heldWritesReachTheFileOnlyWithTheCommitAndItsWork() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            write(1);
            write(2);
            assertThat(rows()).as("while held (a read does not wait for them)").isEmpty();
            assertThat(database.deferral()).contains(writes);

            int inserted = writes.commit(insert(3));

            assertThat(inserted).isEqualTo(1);
        }
        assertThat(rows()).containsExactly(1, 2, 3);
        assertThat(undone).as("nothing undone after a commit").isEmpty();
        assertThat(database.deferral()).as("the deferral ended with its commit").isEmpty();
    }

    @Test
    void aDeferralClosedWithoutItsCommitWritesNothingAndUndoesNewestFirst() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            write(1);
            write(2);
        }

        assertThat(rows()).isEmpty();
        assertThat(undone).containsExactly("undo 2", "undo 1");
        write(4);
        assertThat(rows()).as("the thread writes at once again").containsExactly(4);
    }

    @Test
    void aCommitWhoseWorkFailsKeepsNoneOfTheHeldWritesAndUndoesEachOnce() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            write(1);
            write(2);
            assertThatThrownBy(() -> writes.commit(insert(1))).as("a duplicate key in the commit's own work")
                    .isInstanceOf(StorageException.class);
        }

        assertThat(rows()).isEmpty();
        assertThat(undone).containsExactlyInAnyOrder("undo 1", "undo 2");
    }

    @Test
    void anAttemptThatThrowsDropsOnlyTheWritesItAdded() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            write(1);
            assertThatThrownBy(() -> writes.keepIfReturns(() -> {
                write(2);
                write(3);
                throw new IllegalStateException("the attempt fails after two writes");
            })).isInstanceOf(IllegalStateException.class);
            writes.commit(c -> null);
        }

        assertThat(rows()).containsExactly(1);
        assertThat(undone).containsExactly("undo 3", "undo 2");
    }

    @Test
    void aTransactionWhileDeferringIsRefusedSoThatNoHeldWriteCommitsEarly() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            write(1);
            assertThatThrownBy(() -> database.transaction(insert(2))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("defers its writes");
            assertThatThrownBy(database::deferWrites).as("a second deferral on the same thread")
                    .isInstanceOf(IllegalStateException.class);
        }

        assertThat(rows()).isEmpty();
    }

    @Test
    void aDeferralIsThisThreadsOnly() throws Exception {
        try (DeferredWrites writes = database.deferWrites()) {
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    write(7);
                } catch (StorageException e) {
                    throw new IllegalStateException(e);
                }
            });
            other.join();
            assertThat(rows()).as("another thread's write is its own transaction").containsExactly(7);
        }
    }

    @Test
    void outsideADeferralAWriteJoinsTheTransactionItIsInAndIsUndoneWithIt() throws Exception {
        write(1);
        assertThatThrownBy(() -> database.transaction(c -> {
            try {
                write(2);
            } catch (StorageException e) {
                throw new AssertionError("the write inside the transaction failed", e);
            }
            throw new IllegalStateException("the transaction fails after the write");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the transaction fails after the write");

        assertThat(rows()).containsExactly(1);
        assertThat(undone).containsExactly("undo 2");
    }

    @Test
    void aDeferralCannotStartInsideATransaction() throws Exception {
        assertThatThrownBy(() -> database.transaction(c -> database.deferWrites()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(database.deferral()).isEmpty();
    }
}
