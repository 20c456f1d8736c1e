package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the yamux frame codec: a frame that decodes encodes back to the bytes it came
 * from and respects the DATA limit; bad bytes fail only with {@link PeerFaultException} or
 * {@link EOFException}. See {@link FuzzChecks}.
 */
class YamuxFrameCodecFuzzTest {

    /** Small, so that DATA lengths on both sides of the limit are easy to reach. */
    private static final int MAX_SMALL_LIMIT = 1024;

    @FuzzTest
    void read(FuzzedDataProvider data) throws IOException {
        int maxDataLength = data.consumeInt(0, MAX_SMALL_LIMIT);
        byte[] input = data.consumeRemainingAsBytes();
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        YamuxFrame frame;
        try {
            frame = YamuxFrameCodec.read(in, maxDataLength);
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        if (frame == null) {
            assertThat(input).isEmpty();
            return;
        }
        if (frame.type() == YamuxFrame.Type.DATA) {
            assertThat(frame.length()).isLessThanOrEqualTo(maxDataLength);
        }
        byte[] consumed = Arrays.copyOf(input, input.length - in.available());
        assertThat(YamuxFrameCodec.encode(frame)).isEqualTo(consumed);
    }
}
