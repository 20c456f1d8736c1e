package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for what a decrypted message goes through: the envelope decoder, and unpadding then
 * decoding. An envelope that decodes re-encodes to an equal one; bad bytes fail only with
 * {@link PeerFaultException}. See {@link FuzzChecks} for running a campaign, e.g.
 * {@code JAZZER_FUZZ=1 ./mvnw -pl chat -am test -Dtest='EnvelopeCodecFuzzTest#decode' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class EnvelopeCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws PeerFaultException {
        ChatEnvelope envelope;
        try {
            envelope = EnvelopeCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(envelope))).isEqualTo(envelope);
    }

    @FuzzTest
    void unpadThenDecode(byte[] input) throws PeerFaultException {
        byte[] plain;
        try {
            plain = Padding.unpad(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(Padding.pad(plain)).isEqualTo(input);
        try {
            EnvelopeCodec.decode(plain);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
