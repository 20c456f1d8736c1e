package org.parley.libp2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the binary and text forms of a PeerId: a parsed id round-trips through both
 * text forms; bad input fails only with the documented exception. See {@link FuzzChecks}.
 */
class PeerIdFuzzTest {

    @FuzzTest
    void fromBytes(byte[] input) {
        PeerId id;
        try {
            id = PeerId.fromBytes(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(id.bytes()).isEqualTo(input);
        assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
        id.inlinedPublicKey();
    }

    @FuzzTest
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        PeerId id;
        try {
            id = PeerId.parse(text);
        } catch (IllegalArgumentException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    }
}
