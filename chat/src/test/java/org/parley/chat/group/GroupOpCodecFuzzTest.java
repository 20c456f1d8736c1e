package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the group operation decoder: an operation that decodes keeps its exact bytes
 * (the chain hashes them) and decodes again to the same operation; bad bytes fail only with
 * {@link PeerFaultException}, and checking the signature of whatever decodes never throws. See
 * {@link FuzzChecks} for running a campaign, e.g.
 * {@code JAZZER_FUZZ=1 ./mvnw -pl chat -am test -Dtest='GroupOpCodecFuzzTest#decode' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GroupOpCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws PeerFaultException {
        SignedGroupOp op;
        try {
            op = GroupOpCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(op.encoded()).isEqualTo(input);
        assertThat(GroupOpCodec.decode(op.encoded()).op()).isEqualTo(op.op());
        op.signatureVerifies();
    }
}
