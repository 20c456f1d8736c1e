package org.parley.journal.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for every {@code /parley/journal/1.0.0} message (Vector, Entries, Done): a body
 * that decodes encodes back to exactly itself; bad bytes fail only with {@link PeerFaultException}
 * (or {@link EOFException} for a stream cut short). Run a campaign as {@code FuzzChecks} describes.
 */
class JournalCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        JournalMessage message;
        try {
            message = JournalCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(JournalCodec.encode(message)).isEqualTo(input);
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            while (JournalCodec.read(in) != null) {
                // every frame up to the first bad one decodes
            }
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
