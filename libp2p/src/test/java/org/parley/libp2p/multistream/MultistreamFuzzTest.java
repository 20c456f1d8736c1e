package org.parley.libp2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for multistream-select: the message codec, and both roles negotiating against a
 * peer that sends arbitrary bytes. Each ends with an agreed protocol or a typed error
 * ({@link PeerFaultException}, {@link ConnectionClosedException}, and for the dialer
 * {@link ProtocolNotSupportedException}). See {@link FuzzChecks}.
 */
class MultistreamFuzzTest {

    private static final List<String> PROPOSALS = List.of("/noise", "/tls/1.0.0");
    private static final Set<String> SUPPORTED = Set.of("/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0");

    @FuzzTest
    void codecRead(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        String text;
        try {
            text = MultistreamCodec.read(in);
        } catch (PeerFaultException | ConnectionClosedException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        byte[] consumed = Arrays.copyOf(input, input.length - in.available());
        if (isUtf8(consumed)) {
            assertThat(MultistreamCodec.encode(text)).isEqualTo(consumed);
        }
    }

    @FuzzTest
    void listenerNegotiation(byte[] input) throws IOException {
        ScriptedDuplex duplex = new ScriptedDuplex(input, false);
        try {
            assertThat(MultistreamSelect.handle(duplex, SUPPORTED)).isIn(SUPPORTED);
        } catch (PeerFaultException | ConnectionClosedException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void dialerNegotiation(byte[] input) throws IOException {
        ScriptedDuplex duplex = new ScriptedDuplex(input, false);
        try {
            assertThat(MultistreamSelect.select(duplex, PROPOSALS)).isIn(PROPOSALS);
        } catch (PeerFaultException | ConnectionClosedException | ProtocolNotSupportedException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    /** True if the bytes, less the length prefix, decode as strict UTF-8 (so they round-trip). */
    private static boolean isUtf8(byte[] message) {
        int prefix = 0;
        while ((message[prefix] & 0x80) != 0) {
            prefix++;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(message, prefix + 1, message.length - prefix - 1));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
