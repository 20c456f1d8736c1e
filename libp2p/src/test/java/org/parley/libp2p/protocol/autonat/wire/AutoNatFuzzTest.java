package org.parley.libp2p.protocol.autonat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for AutoNAT v1 messages: bad input fails only with a clear {@link PeerFaultException}
 * (or {@link EOFException}), and what decodes survives a re-encoding. See {@link FuzzChecks}.
 */
class AutoNatFuzzTest {

    @FuzzTest
    void read(byte[] input) throws IOException {
        AutoNatMessage message;
        try {
            message = AutoNatCodec.read(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(AutoNatCodec.decode(AutoNatCodec.encode(message))).isEqualTo(message);
    }
}
