package org.parley.libp2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;

class MultistreamCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesTheSpecFixtures() {
        assertThat(HEX.formatHex(MultistreamCodec.encode("/multistream/1.0.0")))
                .isEqualTo("13" + "2f6d756c746973747265616d2f312e302e30" + "0a");
        assertThat(HEX.formatHex(MultistreamCodec.encode("na"))).isEqualTo("036e610a");
        assertThat(HEX.formatHex(MultistreamCodec.encode("ls"))).isEqualTo("036c730a");
        assertThat(HEX.formatHex(MultistreamCodec.encode("/noise"))).isEqualTo("07" + "2f6e6f697365" + "0a");
        assertThat(HEX.formatHex(MultistreamCodec.encode("/yamux/1.0.0")))
                .isEqualTo("0d" + "2f79616d75782f312e302e30" + "0a");
        assertThat(MultistreamCodec.encode("/ipfs/id/1.0.0")[0]).isEqualTo((byte) 0x0f);
        assertThat(MultistreamCodec.encode("/ipfs/kad/1.0.0")[0]).isEqualTo((byte) 0x10);
    }

    @Test
    void decodesTheSpecFixtures() throws IOException {
        assertThat(read("132f6d756c746973747265616d2f312e302e300a")).isEqualTo("/multistream/1.0.0");
        assertThat(read("036e610a")).isEqualTo("na");
    }

    @Test
    void usesATwoByteLengthForLongMessages() throws IOException {
        String id = "/" + "a".repeat(199);
        byte[] encoded = MultistreamCodec.encode(id);
        assertThat(HEX.formatHex(encoded, 0, 2)).isEqualTo("c901");
        assertThat(MultistreamCodec.read(new ByteArrayInputStream(encoded))).isEqualTo(id);
    }

    @Test
    void rejectsOversizeMessageBeforeReadingItsBody() {
        // Declares 1025 bytes and sends none: the limit must trip on the length alone.
        assertThatThrownBy(() -> read("8108"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("multistream-select message of 1025 bytes exceeds the limit of 1024");
    }

    @Test
    void acceptsMessageOfExactlyTheLimit() throws IOException {
        String id = "/" + "x".repeat(1022);
        assertThat(MultistreamCodec.read(new ByteArrayInputStream(MultistreamCodec.encode(id)))).isEqualTo(id);
    }

    @Test
    void refusesToEncodeMessageOverTheLimit() {
        assertThatThrownBy(() -> MultistreamCodec.encode("/" + "x".repeat(1023)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("multistream-select message of 1025 bytes exceeds the limit of 1024");
    }

    @Test
    void rejectsMessageWithoutNewline() {
        assertThatThrownBy(() -> read("036e6161"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("multistream-select message of 3 bytes does not end in a newline");
    }

    @Test
    void rejectsEmptyMessage() {
        assertThatThrownBy(() -> read("00"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("empty multistream-select message; expected text ending in a newline");
    }

    @Test
    void reportsTruncatedMessageAsClosed() {
        assertThatThrownBy(() -> read("076e61"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("stream ended after 2 of 7 multistream-select message bytes");
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("stream ended before a multistream-select message");
        assertThatThrownBy(() -> read("81"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("stream ended inside a multistream-select length");
    }

    @Test
    void leavesTheBytesAfterTheMessageInTheStream() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(HEX.parseHex("036e610a" + "cafe"));
        assertThat(MultistreamCodec.read(in)).isEqualTo("na");
        assertThat(HEX.formatHex(in.readAllBytes())).isEqualTo("cafe");
    }

    private static String read(String hex) throws IOException {
        return MultistreamCodec.read(new ByteArrayInputStream(HEX.parseHex(hex)));
    }
}
