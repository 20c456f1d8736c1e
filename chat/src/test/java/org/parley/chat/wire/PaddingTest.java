package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

class PaddingTest {

    @Test
    void padsToTheSmallestBucketThatHoldsTheMarker() {
        assertThat(Padding.pad(new byte[0])).hasSize(256);
        assertThat(Padding.pad(new byte[255])).hasSize(256);
        assertThat(Padding.pad(new byte[256])).hasSize(1024);
        assertThat(Padding.pad(new byte[4095])).hasSize(4096);
        assertThat(Padding.pad(new byte[16384])).hasSize(65536);
        assertThat(Padding.pad(new byte[65535])).hasSize(65536);
    }

    @Test
    void unpaddingIsUnambiguousWhateverThePlaintextEndsWith() throws Exception {
        for (byte[] plain : new byte[][] {{}, {0}, {0, 0}, {(byte) 0x80}, {(byte) 0x80, 0}, {1, (byte) 0x80, 0, 0}}) {
            assertThat(Padding.unpad(Padding.pad(plain))).isEqualTo(plain);
        }
        byte[] full = new byte[255];
        Arrays.fill(full, (byte) 0x80);
        assertThat(Padding.unpad(Padding.pad(full))).isEqualTo(full);
    }

    @Test
    void paddedBytesAreTheMarkerThenZeros() {
        byte[] padded = Padding.pad(new byte[] {7, 7});
        assertThat(padded[2]).isEqualTo((byte) 0x80);
        assertThat(Arrays.copyOfRange(padded, 3, 256)).containsOnly(0);
    }

    @Test
    void rejectsPlaintextLargerThanTheLargestBucket() {
        assertThatThrownBy(() -> Padding.pad(new byte[65536]))
                .hasMessage("a plaintext of 65536 bytes exceeds the 65535-byte limit of the largest padding bucket");
    }

    @Test
    void rejectsBadPaddingWithExactMessages() {
        assertThatThrownBy(() -> Padding.unpad(new byte[300])).isInstanceOf(PeerFaultException.class)
                .hasMessage("padded plaintext of 300 bytes is not one of the bucket sizes [256, 1024, 4096, 16384, 65536]");
        assertThatThrownBy(() -> Padding.unpad(new byte[256]))
                .hasMessage("padded plaintext of 256 bytes lacks the 0x80 marker before its zero padding");
        byte[] wrongMarker = new byte[256];
        wrongMarker[10] = 0x01;
        assertThatThrownBy(() -> Padding.unpad(wrongMarker))
                .hasMessage("padded plaintext of 256 bytes lacks the 0x80 marker before its zero padding");
    }
}
