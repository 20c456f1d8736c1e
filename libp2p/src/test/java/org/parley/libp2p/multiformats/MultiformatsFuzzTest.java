package org.parley.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the multiformats parsers: each input either parses to a value that encodes back
 * to the bytes it came from, or fails with the documented typed exception. See {@link FuzzChecks}
 * for how to run a campaign, e.g. {@code -Dtest='MultiformatsFuzzTest#varintFromStream'}.
 */
class MultiformatsFuzzTest {

    /** A small limit, so that the fuzzer easily produces lengths on both sides of it. */
    private static final int SMALL_MAX_LENGTH = 64;

    @FuzzTest
    void varintFromStream(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            long value = Varint.read(in);
            if (value < 0) {
                assertThat(input).isEmpty();
                return;
            }
            int consumed = input.length - in.available();
            assertThat(Varint.encode(value)).isEqualTo(Arrays.copyOf(input, consumed));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void varintFromBuffer(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            long value = Varint.read(in);
            assertThat(value).isNotNegative();
            assertThat(Varint.encode(value)).isEqualTo(Arrays.copyOf(input, in.position()));
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void lengthPrefixed(FuzzedDataProvider data) throws IOException {
        int max = data.consumeInt(0, SMALL_MAX_LENGTH);
        byte[] input = data.consumeRemainingAsBytes();
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            byte[] message = LengthPrefixed.read(in, max);
            if (message == null) {
                assertThat(input).isEmpty();
                return;
            }
            assertThat(message.length).isLessThanOrEqualTo(max);
            int consumed = input.length - in.available();
            assertThat(LengthPrefixed.frame(message)).isEqualTo(Arrays.copyOf(input, consumed));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void multihash(byte[] input) {
        try {
            Multihash mh = Multihash.decode(input);
            assertThat(mh.bytes()).isEqualTo(input);
            assertThat(mh.digest().length).isLessThanOrEqualTo(Multihash.MAX_DIGEST_BYTES);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void multibase(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            byte[] decoded = Multibase.decode(text);
            assertThat(Multibase.decode(Multibase.encodeBase32(decoded))).isEqualTo(decoded);
            assertThat(Multibase.decode(Multibase.encodeBase36(decoded))).isEqualTo(decoded);
            assertThat(Multibase.decode(Multibase.encodeBase64Url(decoded))).isEqualTo(decoded);
            assertThat(Multibase.decode("z" + Base58.encode(decoded))).isEqualTo(decoded);
        } catch (IllegalArgumentException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
