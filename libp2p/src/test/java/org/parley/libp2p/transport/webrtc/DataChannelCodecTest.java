package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.transport.webrtc.DataChannelFrame.Flag;

/** The data-channel framing: the spec's byte examples, the 16 KiB limit, split and joined frames, exact errors. */
class DataChannelCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void flagsEncodeAsTheSpecShowsThem() {
        assertThat(HEX.formatHex(DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN)))).isEqualTo("020800");
        assertThat(HEX.formatHex(DataChannelCodec.encode(DataChannelFrame.of(Flag.STOP_SENDING)))).isEqualTo("020801");
        assertThat(HEX.formatHex(DataChannelCodec.encode(DataChannelFrame.of(Flag.RESET_STREAM)))).isEqualTo("020802");
        assertThat(HEX.formatHex(DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN_ACK)))).isEqualTo("020803");
        assertThat(HEX.formatHex(DataChannelCodec.encode(DataChannelFrame.data(new byte[] {1, 2, 3}))))
                .isEqualTo("05120301" + "0203");
    }

    @Test
    void theLargestPayloadFillsExactlyTheLimit() throws Exception {
        byte[] payload = new byte[DataChannelCodec.MAX_PAYLOAD_BYTES];
        payload[payload.length - 1] = 42;
        byte[] frame = DataChannelCodec.encode(DataChannelFrame.data(payload));

        assertThat(frame).hasSize(DataChannelCodec.MAX_FRAME_BYTES);
        assertThat(new DataChannelCodec.Decoder().feed(frame, 0, frame.length))
                .containsExactly(DataChannelFrame.data(payload));
        assertThatThrownBy(() -> DataChannelCodec.encode(null, new byte[payload.length + 1], 0, payload.length + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a data-channel payload holds at most 16379 bytes, not 16380");
    }

    @Test
    void framesMaySpanAndShareMessages() throws Exception {
        byte[] first = DataChannelCodec.encode(DataChannelFrame.data("hello".getBytes()));
        byte[] fin = DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN));
        byte[] both = new byte[first.length + fin.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(fin, 0, both, first.length, fin.length);
        DataChannelCodec.Decoder decoder = new DataChannelCodec.Decoder();

        assertThat(decoder.feed(both, 0, 3)).isEmpty();
        assertThat(decoder.hasPartialFrame()).isTrue();
        assertThat(decoder.feed(both, 3, both.length - 3))
                .containsExactly(DataChannelFrame.data("hello".getBytes()), DataChannelFrame.of(Flag.FIN));
        assertThat(decoder.hasPartialFrame()).isFalse();
    }

    @Test
    void aFlagAndDataTravelTogether() throws Exception {
        byte[] frame = DataChannelCodec.encode(Flag.FIN, "last".getBytes(), 0, 4);
        assertThat(new DataChannelCodec.Decoder().feed(frame, 0, frame.length))
                .containsExactly(new DataChannelFrame(Flag.FIN, "last".getBytes()));
    }

    @Test
    void aFrameOverTheLimitIsRefusedFromItsPrefix() {
        // 0xff 0x7f declares 16383 body bytes: 16385 with the prefix, one more than allowed.
        assertDecodeFails("ff7f", "data-channel frame of 16385 bytes exceeds the limit of 16384");
        assertDecodeFails("808001", "data-channel frame of 16387 bytes exceeds the limit of 16384");
    }

    @Test
    void malformedFramesGetExactErrors() {
        assertDecodeFails("8000", "data-channel frame length is not minimally encoded");
        assertDecodeFails("808080", "data-channel frame length prefix is longer than 3 bytes");
        assertDecodeFails("020807", "data-channel frame has an unknown flag");
        assertThatThrownBy(() -> decode("03120501"))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("data-channel frame is not a valid message: ");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        // go-libp2p adds errorCode = 3; a frame with it still decodes.
        assertThat(decode("04080218" + "07")).containsExactly(DataChannelFrame.of(Flag.RESET_STREAM));
    }

    private static List<DataChannelFrame> decode(String hex) throws PeerFaultException {
        byte[] bytes = HEX.parseHex(hex);
        return new DataChannelCodec.Decoder().feed(bytes, 0, bytes.length);
    }

    private static void assertDecodeFails(String hex, String message) {
        assertThatThrownBy(() -> decode(hex)).isInstanceOf(PeerFaultException.class).hasMessage(message);
    }
}
