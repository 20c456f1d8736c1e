package org.parley.libp2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the identify codec: a stream of parts either reads to an info within every
 * limit, which writes and reads back to the same info, or fails with {@link PeerFaultException}.
 * See {@link FuzzChecks}.
 */
class IdentifyCodecFuzzTest {

    @FuzzTest
    void read(byte[] input) throws IOException {
        IdentifyInfo info;
        try {
            info = IdentifyCodec.read(new ByteArrayInputStream(input));
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(info.listenAddrs()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_LISTEN_ADDRS);
        assertThat(info.protocols()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_PROTOCOLS);
        for (String protocol : info.protocols()) {
            assertThat(protocol.getBytes(StandardCharsets.UTF_8).length)
                    .isBetween(1, IdentifyCodec.MAX_PROTOCOL_ID_BYTES);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            IdentifyCodec.write(out, info);
        } catch (InternalFaultException tooLargeForUsToSend) {
            return;
        }
        assertThat(IdentifyCodec.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(info);
    }
}
