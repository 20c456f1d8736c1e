package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the WebRTC wire: the data-channel framing (bytes split into two channel
 * messages at a fuzzed point) and {@code /webrtc-signaling/0.0.1} messages. Each ends in decoded
 * values that re-encode to equal values, or a typed error with a clear message. See {@link FuzzChecks}.
 */
class WebRtcFuzzTest {

    @FuzzTest
    void dataChannelFrames(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int split = (input[0] & 0xFF) % input.length;
        DataChannelCodec.Decoder decoder = new DataChannelCodec.Decoder();
        List<DataChannelFrame> frames;
        try {
            frames = new java.util.ArrayList<>(decoder.feed(input, 1, Math.max(0, split - 1)));
            frames.addAll(decoder.feed(input, Math.max(1, split), input.length - Math.max(1, split)));
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        for (DataChannelFrame frame : frames) {
            assertThat(frame.payload().length).isLessThanOrEqualTo(DataChannelCodec.MAX_PAYLOAD_BYTES);
            byte[] again = DataChannelCodec.encode(frame);
            assertThat(again.length).isLessThanOrEqualTo(DataChannelCodec.MAX_FRAME_BYTES);
            try {
                assertThat(new DataChannelCodec.Decoder().feed(again, 0, again.length)).containsExactly(frame);
            } catch (PeerFaultException e) {
                throw new AssertionError("a re-encoded frame did not decode: " + e.getMessage(), e);
            }
        }
    }

    @FuzzTest
    void signalingMessages(byte[] input) throws IOException {
        SignalingMessage message;
        try {
            message = SignalingCodec.read(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        if (message != null) {
            assertThat(SignalingCodec.read(new ByteArrayInputStream(SignalingCodec.encode(message)))).isEqualTo(message);
        }
    }
}
