package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseFrameReaderTest {

    @Test
    void reassemblesFramesDeliveredOneByteAtATime() throws Exception {
        byte[] wire = frames(3, 65535, 0, 70);
        NoiseFrameReader reader = new NoiseFrameReader(trickle(wire));

        for (int length : new int[] {3, 65535, 0, 70}) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.frameLength()).isEqualTo(length);
            byte[] body = Arrays.copyOfRange(reader.buffer(), reader.frameOffset(), reader.frameOffset() + length);
            byte[] expected = new byte[length];
            Arrays.fill(expected, (byte) (length % 251));
            assertThat(body).isEqualTo(expected);
        }
        assertThat(reader.next()).isFalse();
    }

    @Test
    void keepsFramesIntactAcrossBufferCompaction() throws Exception {
        int[] lengths = {65535, 65535, 65535, 1, 65535, 40000, 65535};
        NoiseFrameReader reader = new NoiseFrameReader(new ByteArrayInputStream(frames(lengths)));
        for (int length : lengths) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.frameLength()).isEqualTo(length);
            assertThat(reader.buffer()[reader.frameOffset()]).isEqualTo((byte) (length % 251));
            assertThat(reader.buffer()[reader.frameOffset() + length - 1]).isEqualTo((byte) (length % 251));
        }
        assertThat(reader.next()).isFalse();
    }

    @Test
    void growsForALargeFrameAndShrinksOnceSeveralSmallFramesFollow() throws Exception {
        int small = 10;
        NoiseFrameReader reader = new NoiseFrameReader(trickle(frames(small, 65535, small, small, small, small, small)));
        assertThat(reader.bufferSize()).isEqualTo(NoiseFrameReader.SMALL_BUFFER_BYTES);

        assertThat(reader.next()).isTrue();
        assertThat(reader.bufferSize()).isEqualTo(NoiseFrameReader.SMALL_BUFFER_BYTES);
        assertThat(reader.next()).isTrue();
        assertThat(reader.bufferSize()).isEqualTo(NoiseFrameReader.LARGE_BUFFER_BYTES);
        for (int i = 0; i < NoiseFrameReader.SHRINK_AFTER_SMALL_FRAMES; i++) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.bufferSize()).isEqualTo(NoiseFrameReader.LARGE_BUFFER_BYTES);
        }
        assertThat(reader.next()).isTrue();
        assertThat(reader.frameLength()).isEqualTo(small);
        assertThat(reader.buffer()[reader.frameOffset()]).isEqualTo((byte) small);
        assertThat(reader.bufferSize()).isEqualTo(NoiseFrameReader.SMALL_BUFFER_BYTES);
        assertThat(reader.next()).isFalse();
    }

    private static byte[] frames(int... lengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int length : lengths) {
            byte[] body = new byte[length];
            Arrays.fill(body, (byte) (length % 251));
            out.write(length >>> 8);
            out.write(length & 0xFF);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static InputStream trickle(byte[] bytes) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }
}
