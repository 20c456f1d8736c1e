package org.parley.files.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for every {@code /parley/files/1.0.0} message: a frame body that decodes encodes
 * back to exactly itself; bad bytes fail only with {@link PeerFaultException} (or
 * {@link EOFException} for a stream cut short). Run a campaign as {@code FuzzChecks} describes.
 */
class FilesCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws PeerFaultException {
        FilesMessage message;
        try {
            message = FilesCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(FilesCodec.encode(message)).isEqualTo(input);
        assertThat(FilesCodec.decode(FilesCodec.encode(message))).isEqualTo(message);
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            FilesMessage message;
            while ((message = FilesCodec.read(in, FilesCodec.MAX_REQUEST_FRAME_BYTES)) != null) {
                assertThat(FilesCodec.encode(message).length).isLessThanOrEqualTo(FilesCodec.MAX_REQUEST_FRAME_BYTES);
            }
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
