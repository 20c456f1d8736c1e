package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real database: writers that wait together commit in one transaction, each
 * returns only once its own rows are committed, and one failing writer fails alone.
 */
class GroupCommitTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private NodeDatabase database;
    private GroupCommit commits;

    @BeforeEach
    void open() throws Exception {
        database = KeyTable.open(dir.resolve("parley.db"));
        commits = new GroupCommit(database);
    }

    @AfterEach
    void close() throws Exception {
        database.close();
    }

    private static SqlWork<Integer> insert(int k) {
        return KeyTable.insert(k);
    }

    private List<Integer> keys() throws Exception {
        return KeyTable.keys(database);
    }

    /**
     * Runs writer 0 while another transaction holds the database, so it leads and waits; queues
     * the other writers behind it; then lets the database go. Returns each writer's failure, if any.
     */
    private Map<Integer, Exception> writeWhileHeld(List<SqlWork<Integer>> works) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                database.transaction(c -> {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try {
            return writeWhileHeld(works, held, release, holder);
        } finally {
            // Also when an assertion failed: the database must not stay held.
            release.countDown();
        }
    }

    private Map<Integer, Exception> writeWhileHeld(List<SqlWork<Integer>> works, CountDownLatch held,
            CountDownLatch release, Thread holder) throws Exception {
        assertThat(held.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        Map<Integer, Exception> failures = new ConcurrentHashMap<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < works.size(); i++) {
            int index = i;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    commits.write(works.get(index));
                } catch (Exception e) {
                    failures.put(index, e);
                }
            }));
            if (i == 0) {
                // Writer 0 leads with its group of one and waits for the database.
                await(commits::leading);
            }
        }
        await(() -> commits.waiting() == works.size() - 1);
        release.countDown();
        holder.join();
        for (Thread t : writers) {
            assertThat(t.join(java.time.Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        }
        return failures;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void writersWaitingTogetherShareOneTransactionAndEachIsCommittedOnReturn() throws Exception {
        List<SqlWork<Integer>> works = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            works.add(insert(k));
        }

        Map<Integer, Exception> failures = writeWhileHeld(works);

        assertThat(failures).isEmpty();
        assertThat(keys()).hasSize(20);
        // Writer 0 alone, then the 19 that waited behind it together.
        assertThat(commits.transactions()).isEqualTo(2);
    }

    @Test
    void manyWritersAtOnceEachReturnOnceItsOwnRowIsCommitted() throws Exception {
        int writers = 16;
        int each = 300;
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int first = w * each;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int k = first; k < first + each; k++) {
                        commits.write(insert(k));
                        assertThat(count(k)).as("row %d once its write returned", k).isEqualTo(1);
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e instanceof Exception x ? x : new IllegalStateException(e));
                }
            }));
        }
        for (Thread t : threads) {
            // A writer whose wake-up got lost would wait here for ever.
            assertThat(t.join(java.time.Duration.ofSeconds(WAIT_SECONDS))).as("every writer returns").isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(keys()).hasSize(writers * each);
        assertThat(commits.transactions()).isBetween(1L, (long) writers * each);
    }

    private int count(int k) throws Exception {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM t WHERE k = ?")) {
                s.setInt(1, k);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    @Test
    void aFailingWriterFailsAloneAndTheOthersInItsGroupAreCommitted() throws Exception {
        database.transaction(insert(100));
        List<SqlWork<Integer>> works = List.of(insert(1), insert(2), insert(100), insert(3));

        Map<Integer, Exception> failures = writeWhileHeld(works);

        assertThat(failures).containsOnlyKeys(2);
        assertThat(failures.get(2)).isInstanceOf(StorageException.class).hasMessageContaining("UNIQUE");
        assertThat(keys()).containsExactly(1, 2, 3, 100);
        // Writer 0 alone; the group of three failed together, then ran one by one.
        assertThat(commits.transactions()).isEqualTo(1 + 1 + 3);
    }

    @Test
    void insideACallersTransactionTheWriteJoinsItAndRollsBackWithIt() throws Exception {
        try {
            database.transaction(c -> {
                try {
                    commits.write(insert(7));
                } catch (StorageException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("the caller's transaction fails");
            });
        } catch (IllegalStateException expected) {
            // The caller's failure, as thrown.
        }
        assertThat(keys()).isEmpty();
        commits.write(insert(8));
        assertThat(keys()).containsExactly(8);
    }

    @Test
    void whileWritesKeepComingALeaderGathersTheNextWriterIntoItsCommit() throws Exception {
        // Busy for as long as the test runs after its first commit, whatever the machine's pace.
        GroupCommit gathering = new GroupCommit(database, GATHER, TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
        gathering.write(insert(1));
        // After a commit: the next leader waits the window, and a writer that comes meanwhile
        // shares its commit.
        Thread leader = Thread.ofVirtual().start(() -> write(gathering, 2));
        await(gathering::leading);
        Thread follower = Thread.ofVirtual().start(() -> write(gathering, 3));
        assertThat(leader.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        assertThat(follower.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

        assertThat(keys()).containsExactly(1, 2, 3);
        assertThat(gathering.transactions()).as("one for the first write, one for the two gathered").isEqualTo(2);
    }

    @Test
    void aWriterOnAnIdleGroupCommitDoesNotWaitTheGatherWindow() throws Exception {
        GroupCommit gathering = new GroupCommit(database, Duration.ofSeconds(WAIT_SECONDS));
        long start = System.nanoTime();

        gathering.write(insert(1));

        // A wait of the window would take all of WAIT_SECONDS; a commit takes milliseconds.
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_SECONDS) / 2);
        assertThat(keys()).containsExactly(1);
    }

    /** Long enough for the test to queue a second writer while the leader waits, on a loaded machine. */
    private static final Duration GATHER = Duration.ofSeconds(2);

    private static void write(GroupCommit commits, int k) {
        try {
            commits.write(insert(k));
        } catch (StorageException e) {
            throw new AssertionError(e);
        }
    }
}
