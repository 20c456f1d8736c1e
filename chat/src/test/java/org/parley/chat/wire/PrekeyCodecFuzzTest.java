package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for {@code /parley/prekeys/1.0.0}: requests and answers that decode re-encode to
 * equal ones; bad bytes fail only with {@link PeerFaultException} (or {@link EOFException} for a
 * stream cut short). See {@link FuzzChecks} for running a campaign.
 */
class PrekeyCodecFuzzTest {

    @FuzzTest
    void request(byte[] input) throws PeerFaultException {
        PrekeyRequest request;
        try {
            request = PrekeyCodec.decodeRequest(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(PrekeyCodec.decodeRequest(PrekeyCodec.encodeRequest(request))).isEqualTo(request);
    }

    @FuzzTest
    void answer(byte[] input) throws PeerFaultException {
        PrekeyAnswer answer;
        try {
            answer = PrekeyCodec.decodeAnswer(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(PrekeyCodec.decodeAnswer(PrekeyCodec.encodeAnswer(answer))).isEqualTo(answer);
    }

    @FuzzTest
    void readAnswer(byte[] input) throws IOException {
        try {
            PrekeyAnswer answer = PrekeyCodec.readAnswer(new ByteArrayInputStream(input));
            if (answer == null) {
                assertThat(input).isEmpty();
            }
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
