package org.parley.dht.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the kad message codec: a message that decodes encodes and decodes back to an
 * equal message; bad bytes fail only with {@link PeerFaultException} (or {@link EOFException} for
 * a stream cut short). See {@link FuzzChecks} for how to run a campaign; in this module, e.g.
 * {@code JAZZER_FUZZ=1 ./mvnw -pl dht -am test -Dtest='KadCodecFuzzTest#decode' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KadCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws PeerFaultException {
        KadMessage message;
        try {
            message = KadCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        for (PeerRef peer : message.closerPeers()) {
            assertThat(peer.addrs()).doesNotHaveDuplicates();
        }
        assertThat(KadCodec.decode(KadCodec.encode(message))).isEqualTo(message);
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        try {
            KadMessage message = KadCodec.read(new ByteArrayInputStream(input));
            if (message == null) {
                assertThat(input).isEmpty();
            }
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
