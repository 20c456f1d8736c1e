package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.libp2p.core.PeerFaultException;

/** The frame codec against the byte fixtures of docs/libp2p-wire.md section 5. */
class YamuxFrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            open stream 1      | 00 01 0001 00000001 00000000 | WINDOW_UPDATE | 1 | 1 | 0
            ACK stream 1       | 00 01 0002 00000001 00000000 | WINDOW_UPDATE | 2 | 1 | 0
            FIN stream 1       | 00 00 0004 00000001 00000000 | DATA          | 4 | 1 | 0
            RST stream 1       | 00 01 0008 00000001 00000000 | WINDOW_UPDATE | 8 | 1 | 0
            +256 KiB on s2     | 00 01 0000 00000002 00040000 | WINDOW_UPDATE | 0 | 2 | 262144
            PING request       | 00 02 0001 00000000 0000002a | PING          | 1 | 0 | 42
            PING reply         | 00 02 0002 00000000 0000002a | PING          | 2 | 0 | 42
            GO_AWAY normal     | 00 03 0000 00000000 00000000 | GO_AWAY       | 0 | 0 | 0
            GO_AWAY protocol   | 00 03 0000 00000000 00000001 | GO_AWAY       | 0 | 0 | 1
            """)
    void decodesAndEncodesTheSpecFixtures(String name, String hex, YamuxFrame.Type type, int flags, int id, long length)
            throws IOException {
        byte[] bytes = bytes(hex);
        YamuxFrame expected = new YamuxFrame(type, flags, id, length, type == YamuxFrame.Type.DATA ? new byte[0] : null);

        assertThat(YamuxFrameCodec.read(new ByteArrayInputStream(bytes), 1024)).isEqualTo(expected);
        assertThat(YamuxFrameCodec.encode(expected)).isEqualTo(bytes);
    }

    @Test
    void decodesDataFrameWithItsPayload() throws IOException {
        byte[] bytes = bytes("00 00 0000 00000001 00000005 68656c6c6f");

        YamuxFrame frame = YamuxFrameCodec.read(new ByteArrayInputStream(bytes), 1024);

        assertThat(frame).isEqualTo(YamuxFrame.data(1, 0, "hello".getBytes()));
        assertThat(YamuxFrameCodec.encode(frame)).isEqualTo(bytes);
    }

    @Test
    void readsTheHeaderWithoutThePayload() throws IOException {
        YamuxFrame header = YamuxFrameCodec.decodeHeader(bytes("00 00 0005 00000003 00000005"), 0);

        assertThat(header).isEqualTo(new YamuxFrame(YamuxFrame.Type.DATA, 5, 3, 5, null));
        assertThat(header.has(YamuxFrame.SYN)).isTrue();
        assertThat(header.has(YamuxFrame.FIN)).isTrue();
        assertThat(header.has(YamuxFrame.ACK)).isFalse();
    }

    @Test
    void treatsIdAndLengthAsUnsigned() throws IOException {
        YamuxFrame header = YamuxFrameCodec.decodeHeader(bytes("00 01 0000 ffffffff ffffffff"), 0);

        assertThat(header.unsignedStreamId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(header.length()).isEqualTo(0xFFFF_FFFFL);
        assertThat(YamuxFrameCodec.encode(header)).isEqualTo(bytes("00 01 0000 ffffffff ffffffff"));
    }

    @Test
    void rejectsVersionOtherThanZero() {
        assertThatThrownBy(() -> YamuxFrameCodec.decodeHeader(bytes("01 00 0000 00000001 00000000"), 0))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux version 1 is not supported (expected 0)");
    }

    @Test
    void rejectsUnknownType() {
        assertThatThrownBy(() -> YamuxFrameCodec.decodeHeader(bytes("00 04 0000 00000001 00000000"), 0))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux frame type 4 is unknown (expected 0 to 3)");
    }

    @Test
    void rejectsFrameLargerThanTheLimitBeforeReadingItsPayload() {
        // A header declaring 300000 bytes and no payload at all: the check must come first.
        byte[] header = bytes("00 00 0000 00000001 000493e0");

        assertThatThrownBy(() -> YamuxFrameCodec.read(new ByteArrayInputStream(header), 262_144))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux frame of 300000 bytes exceeds the 262144-byte maximum");
    }

    @Test
    void returnsNullAtCleanEndOfStream() throws IOException {
        assertThat(YamuxFrameCodec.read(new ByteArrayInputStream(new byte[0]), 1024)).isNull();
    }

    @Test
    void failsWhenTheStreamEndsInsideAFrame() {
        assertThatThrownBy(() -> YamuxFrameCodec.read(new ByteArrayInputStream(bytes("00 01 0000")), 1024))
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended after 4 of 12 yamux header bytes");
        assertThatThrownBy(() -> YamuxFrameCodec.read(
                        new ByteArrayInputStream(bytes("00 00 0000 00000001 00000005 6865")), 1024))
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended after 2 of 5 yamux payload bytes");
    }

    @Test
    void namesFlagsInToString() {
        assertThat(YamuxFrame.windowUpdate(3, YamuxFrame.SYN | YamuxFrame.FIN, 7))
                .hasToString("WINDOW_UPDATE[SYN|FIN] stream 3 length 7");
    }

    @Test
    void refusesPayloadOnFramesOtherThanData() {
        assertThatThrownBy(() -> new YamuxFrame(YamuxFrame.Type.PING, 0, 0, 1, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }
}
