package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hand-over between a peer's worker and the thread that stores its pieces: one piece at a time
 * (no queue of buffers builds up), every piece handed over is stored before {@code close} returns,
 * interrupted or not, and in the order handed over.
 */
class PieceWriterTest {

    private static final long WAIT_SECONDS = 10;

    private final List<Integer> stored = new CopyOnWriteArrayList<>();

    @Test
    void closeReturnsOnlyOnceEveryPieceHandedOverIsStored() throws Exception {
        CountDownLatch slowStore = new CountDownLatch(1);
        PieceWriter writer = new PieceWriter((index, plain, length, leaf, proof) -> {
            await(slowStore);
            stored.add(index);
        });
        writer.write(0, new byte[4], 4, new byte[32], List.of());
        Thread.ofVirtual().start(() -> {
            sleep(200);
            slowStore.countDown();
        });

        writer.close();

        assertThat(stored).containsExactly(0);
    }

    @Test
    void aSecondPieceWaitsWhileTheFirstIsBeingStored() throws Exception {
        CountDownLatch firstStoring = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        PieceWriter writer = new PieceWriter((index, plain, length, leaf, proof) -> {
            if (index == 0) {
                firstStoring.countDown();
                await(releaseFirst);
            }
            stored.add(index);
        });
        writer.write(0, new byte[4], 4, new byte[32], List.of());
        assertThat(firstStoring.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CountDownLatch secondHandedOver = new CountDownLatch(1);
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                writer.write(1, new byte[4], 4, new byte[32], List.of());
                secondHandedOver.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(secondHandedOver.await(300, TimeUnit.MILLISECONDS)).as("the hand-over waits for the writer").isFalse();
        releaseFirst.countDown();
        assertThat(secondHandedOver.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        worker.join();
        writer.close();

        assertThat(stored).containsExactly(0, 1);
    }

    @Test
    void anInterruptedWorkerStillWaitsForItsPieceAndKeepsItsInterrupt() throws Exception {
        CountDownLatch slowStore = new CountDownLatch(1);
        PieceWriter writer = new PieceWriter((index, plain, length, leaf, proof) -> {
            await(slowStore);
            stored.add(index);
        });
        writer.write(7, new byte[4], 4, new byte[32], List.of());
        Thread.ofVirtual().start(() -> {
            sleep(200);
            slowStore.countDown();
        });

        Thread.currentThread().interrupt();
        writer.close();

        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(stored).containsExactly(7);
    }

    @Test
    void aStoreThatThrowsFailsTheWorkersNextHandOverInsteadOfHangingIt() throws Exception {
        IllegalStateException bug = new IllegalStateException("a bug in the store");
        PieceWriter writer = new PieceWriter((index, plain, length, leaf, proof) -> {
            throw bug;
        });
        writer.write(0, new byte[4], 4, new byte[32], List.of());
        // The failure shows at the latest on the third hand-over: the second is taken only after the
        // writer failed on the first.
        Throwable thrown = null;
        for (int i = 1; i <= 2 && thrown == null; i++) {
            try {
                writer.write(i, new byte[4], 4, new byte[32], List.of());
            } catch (IllegalStateException e) {
                thrown = e;
            }
        }
        assertThat(thrown).isSameAs(bug);
        writer.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
