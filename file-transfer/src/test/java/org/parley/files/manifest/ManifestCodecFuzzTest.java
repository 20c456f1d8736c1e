package org.parley.files.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the manifest codec: bytes that decode encode back to exactly themselves (the
 * file id hashes them, so there is one encoding per manifest); anything else fails with
 * {@link PeerFaultException}. Run a campaign as {@code FuzzChecks} describes.
 */
class ManifestCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(manifest.encode()).isEqualTo(input);
        assertThat(manifest.chunkCount()).isBetween(1, ChunkSizes.MAX_CHUNKS);
    }
}
