package org.parley.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.MuxedStream;

class StreamTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Far longer than {@link #TIMEOUT}, so a timeout that should fire has fired, even on a loaded machine. */
    private static final long WAIT_SECONDS = 10;

    @Test
    void aWaitPastItsTimeoutResetsTheStream() throws Exception {
        CountingStream stream = new CountingStream();
        assertTimesOut(StreamTimeout.start(stream, TIMEOUT), stream);
    }

    @Test
    void manyShortWaitsOnOneWatchOutlastTheTimeoutWithoutAReset() throws Exception {
        CountingStream stream = new CountingStream();
        StreamTimeout watch = StreamTimeout.watching(stream, TIMEOUT);
        long end = System.nanoTime() + 3 * TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            try (StreamTimeout deadline = watch.arm()) {
                Thread.sleep(10);
            }
            Thread.sleep(10);
        }
        // A task that followed the deadlines forward and then found the watch disarmed has ended.
        Thread.sleep(2 * TIMEOUT.toMillis());

        assertThat(stream.reset.getCount()).isEqualTo(1);
        assertThat(watch.expired()).isFalse();
    }

    @Test
    void aWatchArmedAgainAfterItsTaskEndedStillTimesOut() throws Exception {
        CountingStream stream = new CountingStream();
        StreamTimeout watch = StreamTimeout.watching(stream, TIMEOUT);
        try (StreamTimeout deadline = watch.arm()) {
            Thread.sleep(10);
        }
        // Its task fires at the first deadline, finds nothing armed, and ends.
        Thread.sleep(2 * TIMEOUT.toMillis());
        assertThat(stream.reset.getCount()).isEqualTo(1);

        assertTimesOut(watch.arm(), stream);
    }

    @Test
    void aWaitArmedLaterIsTimedFromItsOwnStart() throws Exception {
        CountingStream stream = new CountingStream();
        StreamTimeout watch = StreamTimeout.watching(stream, TIMEOUT);
        try (StreamTimeout first = watch.arm()) {
            Thread.sleep(TIMEOUT.toMillis() / 2);
        }
        long armed = System.nanoTime();
        try (StreamTimeout second = watch.arm()) {
            assertThat(stream.reset.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        // The pending task woke at the first wait's deadline and slept on until the second's.
        assertThat(System.nanoTime() - armed).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
    }

    /** Waits in {@code armed}'s wait until its timeout resets {@code stream}, then ends the wait. */
    private static void assertTimesOut(StreamTimeout armed, CountingStream stream) throws InterruptedException {
        try (StreamTimeout deadline = armed) {
            assertThat(stream.reset.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("reset by the timeout").isTrue();
            assertThat(deadline.expired()).isTrue();
        }
    }

    /** A stream that only counts its resets. */
    private static final class CountingStream implements MuxedStream {
        final CountDownLatch reset = new CountDownLatch(1);

        @Override
        public long id() {
            return 1;
        }

        @Override
        public void closeWrite() {}

        @Override
        public void reset() {
            reset.countDown();
        }

        @Override
        public InputStream in() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream out() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void close() {}
    }
}
