package org.parley.libp2p.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for signed envelopes and the peer records inside them: bad input fails only with
 * {@link InvalidEnvelopeException}. The payload target signs whatever the fuzzer writes, so that
 * the peer record decoder behind the signature check is reached. See {@link FuzzChecks}.
 */
class RecordFuzzTest {

    /** A fixed key keeps findings reproducible: Ed25519 signatures are deterministic. */
    private static final Ed25519PrivateKey SIGNER = Ed25519PrivateKey.fromSeed(
            HexFormat.of().parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));
    private static final byte[] PEER_RECORD_TYPE = {0x03, 0x01};

    @FuzzTest
    void envelopeOpen(byte[] input) {
        Envelope envelope;
        try {
            envelope = Envelope.open(input, PeerRecord.DOMAIN);
        } catch (InvalidEnvelopeException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(envelope.bytes()).isEqualTo(input);
    }

    @FuzzTest
    void peerRecordFromSignedEnvelope(byte[] input) {
        try {
            PeerRecord.fromSignedEnvelope(input);
        } catch (InvalidEnvelopeException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void signedPeerRecordPayload(FuzzedDataProvider data) throws InvalidEnvelopeException {
        byte[] type = data.consumeBoolean() ? PEER_RECORD_TYPE : data.consumeBytes(4);
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] envelope;
        try {
            envelope = Envelope.seal(SIGNER, PeerRecord.DOMAIN, type, payload).bytes();
        } catch (IllegalArgumentException tooLarge) {
            return;
        }
        PeerRecord record;
        try {
            record = PeerRecord.fromSignedEnvelope(envelope);
        } catch (InvalidEnvelopeException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(record.peerId()).isEqualTo(PeerId.fromPublicKey(SIGNER.publicKey()));
        assertThat(PeerRecord.fromSignedEnvelope(record.toSignedEnvelope(SIGNER))).isEqualTo(record);
    }
}
