package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a download's bitfield saves are scheduled: the first piece is saved at once, a burst rides on
 * one save per interval, and the last piece of a burst is saved even when no piece follows it (a
 * download that stalls keeps what it has).
 */
class BitfieldSavesTest {

    private static final long WAIT_SECONDS = 10;

    private final AtomicInteger saves = new AtomicInteger();
    private final Semaphore saved = new Semaphore(0);

    private void save() {
        saves.incrementAndGet();
        saved.release();
    }

    @Test
    void aBurstOfPiecesWithinOneIntervalIsSavedOnceThenOnceMore() throws Exception {
        BitfieldSaves schedule = new BitfieldSaves(this::save, Duration.ofMillis(400));

        schedule.pieceVerified();
        assertThat(saved.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("the first piece is saved at once").isTrue();
        for (int i = 0; i < 1000; i++) {
            schedule.pieceVerified();
        }
        // The burst came within the interval of the first save: one more save covers all of it.
        assertThat(saved.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("the burst is saved").isTrue();
        assertThat(saved.tryAcquire(1, TimeUnit.SECONDS)).as("no save beyond the one the burst needs").isFalse();
        assertThat(saves).hasValue(2);
    }

    @Test
    void noSaveComesSoonerThanTheIntervalAfterTheLast() throws Exception {
        BitfieldSaves schedule = new BitfieldSaves(this::save, Duration.ofHours(1));

        schedule.pieceVerified();
        assertThat(saved.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        schedule.pieceVerified();
        schedule.pieceVerified();

        assertThat(saved.tryAcquire(500, TimeUnit.MILLISECONDS)).as("the next save waits for its interval").isFalse();
        assertThat(saves).hasValue(1);
    }

    @Test
    void aPieceVerifiedWhileASaveRunsGetsASaveOfItsOwn() throws Exception {
        Semaphore insideSave = new Semaphore(0);
        Semaphore letSaveEnd = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        BitfieldSaves schedule = new BitfieldSaves(() -> {
            if (calls.incrementAndGet() == 1) {
                insideSave.release();
                letSaveEnd.acquireUninterruptibly();
            }
            save();
        }, Duration.ofMillis(50));

        schedule.pieceVerified();
        assertThat(insideSave.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        schedule.pieceVerified(); // the first save may have read the verified set already
        letSaveEnd.release();

        assertThat(saved.tryAcquire(2, WAIT_SECONDS, TimeUnit.SECONDS)).as("a second save covers the later piece").isTrue();
        assertThat(calls).hasValue(2);
    }
}
