package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The download limit's bucket on a clock the test moves: sleeping advances it, nothing waits for real. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int PIECE = 256 * 1024;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong slept = new AtomicLong();

    private TokenBucket bucket(long rate) {
        return new TokenBucket(rate, now::get, nanos -> {
            slept.addAndGet(nanos);
            now.addAndGet(nanos);
        });
    }

    @Test
    void unlimitedNeverWaits() {
        TokenBucket bucket = bucket(TokenBucket.UNLIMITED);
        for (int i = 0; i < 1000; i++) {
            bucket.take(PIECE);
        }
        assertThat(slept.get()).isZero();
    }

    @Test
    void piecesPassAtTheRateOverTime() {
        TokenBucket bucket = bucket(PIECE); // one piece a second
        for (int i = 0; i < 10; i++) {
            bucket.take(PIECE);
        }
        // Ten pieces at one a second: the bucket started empty, so ten seconds of waiting.
        assertThat(slept.get()).isEqualTo(10 * SECOND);
    }

    @Test
    void anIdleSpellAllowsABurstOfOneSecondOnly() {
        TokenBucket bucket = bucket(PIECE);
        now.addAndGet(60 * SECOND);
        bucket.take(PIECE);
        assertThat(slept.get()).as("one second's worth was saved up").isZero();
        bucket.take(PIECE);
        assertThat(slept.get()).as("no more than one second's worth").isEqualTo(SECOND);
    }

    @Test
    void aPieceLargerThanTheBucketPassesAndTheDebtIsWaitedOff() {
        TokenBucket bucket = bucket(PIECE / 4);
        assertThat(bucket.reserve(PIECE)).isEqualTo(4 * SECOND);
        assertThat(bucket.reserve(PIECE / 4)).as("the next piece waits behind the debt").isEqualTo(5 * SECOND);
    }

    @Test
    void aNewRateAppliesAtOnceAndUnlimitedClearsTheDebt() {
        TokenBucket bucket = bucket(PIECE);
        bucket.take(PIECE);
        slept.set(0);
        bucket.setRate(PIECE / 2);
        bucket.take(PIECE);
        assertThat(slept.get()).isEqualTo(2 * SECOND);
        bucket.reserve(10 * PIECE);
        bucket.setRate(TokenBucket.UNLIMITED);
        assertThat(bucket.reserve(PIECE)).isZero();
        assertThat(bucket.rate()).isEqualTo(TokenBucket.UNLIMITED);
    }

    @Test
    void anInterruptedTakerReturnsWithItsFlagSet() {
        TokenBucket bucket = new TokenBucket(PIECE, now::get, nanos -> {
            throw new InterruptedException();
        });
        bucket.take(PIECE);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void aNegativeRateOrTakeIsRefused() {
        assertThatThrownBy(() -> bucket(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket(PIECE).take(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
