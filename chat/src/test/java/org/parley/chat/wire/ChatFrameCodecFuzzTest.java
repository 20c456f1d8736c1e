package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for {@code /parley/chat/1.0.0} frames and acks, as a receiver and a sender read
 * them from a stream. See {@link FuzzChecks} for running a campaign.
 */
class ChatFrameCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws PeerFaultException {
        ChatFrame frame;
        try {
            frame = ChatFrameCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(ChatFrameCodec.decode(ChatFrameCodec.encode(frame))).isEqualTo(frame);
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        try {
            ChatFrame frame = ChatFrameCodec.read(new ByteArrayInputStream(input));
            if (frame == null) {
                assertThat(input).isEmpty();
            }
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void readAck(byte[] input) throws IOException {
        try {
            ChatFrameCodec.readAck(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
