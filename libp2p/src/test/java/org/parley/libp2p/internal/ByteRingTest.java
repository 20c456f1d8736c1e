package org.parley.libp2p.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteRingTest {

    @Test
    void startsSmallAndGrowsOnlyAsDataQueuesUp() {
        ByteRing ring = new ByteRing(1 << 20);
        assertThat(ring.capacity()).isEqualTo(ByteRing.INITIAL_CAPACITY);

        ring.write(new byte[10_000], 0, 10_000);

        assertThat(ring.capacity()).isEqualTo(16_384);
        assertThat(ring.size()).isEqualTo(10_000);
        assertThat(ring.free()).isEqualTo((1 << 20) - 10_000);
    }

    @Test
    void keepsOrderAcrossWrapAroundAndGrowth() {
        ByteRing ring = new ByteRing(64 * 1024);
        SplittableRandom random = new SplittableRandom(3);
        byte[] written = new byte[1 << 20];
        random.nextBytes(written);
        byte[] read = new byte[written.length];
        int in = 0;
        int out = 0;
        while (out < written.length) {
            int n = Math.min(random.nextInt(20_000), Math.min(ring.free(), written.length - in));
            ring.write(written, in, n);
            in += n;
            out += ring.read(read, out, random.nextInt(20_000));
        }

        assertThat(read).isEqualTo(written);
    }

    @Test
    void letsAProducerFillAReservationOutsideTheLock() {
        ByteRing ring = new ByteRing(8);
        ring.write(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6);
        ring.read(new byte[4], 0, 4);

        ring.reserve(5);
        ByteRing.copyIn(new byte[] {7, 8, 9, 10, 11}, 0, ring.array(), ring.writeIndex(), 5);
        ring.commitWrite(5);

        byte[] all = new byte[7];
        assertThat(ring.read(all, 0, 7)).isEqualTo(7);
        assertThat(all).containsExactly(5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void refusesToReserveBeyondItsBound() {
        ByteRing ring = new ByteRing(16);
        ring.write(new byte[10], 0, 10);

        assertThatThrownBy(() -> ring.reserve(7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot reserve 7 bytes in a ring with 6 of 16 free");
    }
}
