package org.parley.files.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.files.manifest.FileId;
import org.parley.files.protocol.wire.FilesMessage.Have;
import org.parley.files.protocol.wire.FilesMessage.HaveBitfield;
import org.parley.files.protocol.wire.FilesMessage.ManifestAnswer;
import org.parley.files.protocol.wire.FilesMessage.ManifestRequest;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.PieceRequest;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.files.protocol.wire.FilesMessage.RefusalReason;
import org.parley.libp2p.core.PeerFaultException;

class FilesCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyMessageRoundTripsThroughAStream() throws Exception {
        byte[] hash = new byte[32];
        hash[0] = 9;
        List<FilesMessage> messages = List.of(
                new ManifestRequest(FileId.ofManifest(new byte[] {1})),
                new ManifestAnswer(new byte[] {1, 2, 3}),
                new HaveBitfield(new byte[] {(byte) 0xFF, 0x01}),
                new Have(300),
                new PieceRequest(4095),
                new Piece(7, List.of(hash, hash), new byte[100]),
                new Refusal(RefusalReason.DO_NOT_HAVE, 7, "no piece 7"),
                new Refusal(RefusalReason.UNKNOWN_FILE, -1, ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FilesMessage m : messages) {
            FilesCodec.write(out, m);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (FilesMessage m : messages) {
            assertThat(FilesCodec.read(in, FilesCodec.MAX_FRAME_BYTES)).isEqualTo(m);
        }
        assertThat(FilesCodec.read(in, FilesCodec.MAX_FRAME_BYTES)).isNull();
    }

    @Test
    void encodesTheLayoutDrawnInTheCodec() {
        assertThat(HEX.formatHex(FilesCodec.encode(new PieceRequest(300)))).isEqualTo("05ac02");
        assertThat(HEX.formatHex(FilesCodec.encode(new Refusal(RefusalReason.DO_NOT_HAVE, 3, "no")))).isEqualTo("0702046e6f");
        assertThat(HEX.formatHex(FilesCodec.encode(new Piece(1, List.of(), new byte[17])))).isEqualTo("060100" + "00".repeat(17));
    }

    @Test
    void checksTheFrameLengthBeforeReadingIt() {
        // A frame claiming 1 GiB: refused from its 5-byte prefix, nothing allocated.
        byte[] prefix = HEX.parseHex("8080808004");
        assertThatThrownBy(() -> FilesCodec.read(new ByteArrayInputStream(prefix), FilesCodec.MAX_REQUEST_FRAME_BYTES))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("files frame of 1073741824 bytes exceeds the limit of 256");
        assertThatThrownBy(() -> FilesCodec.read(new ByteArrayInputStream(HEX.parseHex("0505")), 256))
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended after 1 of 5 frame bytes");
    }

    @Test
    void rejectsMalformedBodiesByName() {
        assertDecodeFails("", "files frame is empty");
        assertDecodeFails("09", "unknown files message type 9");
        assertDecodeFails("05808001", "piece request names piece 16384, beyond the limit of 4096 pieces");
        assertDecodeFails("050100", "files message PieceRequest[index=1] has 1 trailing bytes");
        assertDecodeFails("06010d", "piece 1 has a proof of 13 hashes, more than 12");
        assertDecodeFails("060101" + "00".repeat(31), "piece 1 ends inside its proof");
        assertDecodeFails("060100" + "00".repeat(16), "piece 1 carries 16 data bytes, expected 17..16777232");
        assertDecodeFails("0709", "unknown refusal reason 9");
        assertDecodeFails("070200" + "ff", "refusal detail is not valid UTF-8");
        assertDecodeFails("03" + "00".repeat(513), "have-bitfield of 513 bytes exceeds the limit of 512");
        assertDecodeFails("01" + "1220" + "00".repeat(31), "multihash declares 32 digest bytes but 31 remain");
        assertDecodeFails("01" + "1114" + "00".repeat(20), "a file id is a sha2-256 multihash, not code 0x11");
    }

    @Test
    void readsPiecesFromAStreamWithTheChecksOfDecode() {
        // A piece is read from the stream straight into its data array, not through decode: the
        // same malformed bodies must fail the same way.
        for (String[] bad : new String[][] {
                {"06", "buffer ended inside a varint"},
                {"06808001", "piece request names piece 16384, beyond the limit of 4096 pieces".replace("piece request", "piece")},
                {"0601", "piece 1 ends before its proof length"},
                {"06010d", "piece 1 has a proof of 13 hashes, more than 12"},
                {"060101" + "00".repeat(31), "piece 1 ends inside its proof"},
                {"060100" + "00".repeat(16), "piece 1 carries 16 data bytes, expected 17..16777232"}}) {
            assertThatThrownBy(() -> FilesCodec.decode(HEX.parseHex(bad[0]))).hasMessage(bad[1]);
            assertThatThrownBy(() -> FilesCodec.read(framed(bad[0]), FilesCodec.MAX_FRAME_BYTES))
                    .isInstanceOf(PeerFaultException.class).hasMessage(bad[1]);
        }
    }

    @Test
    void readsAPieceWhoseDataSpansPastItsLongestHeadAndReportsACutOne() throws Exception {
        byte[] hash = new byte[32];
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Piece piece = new Piece(4000, List.of(hash, hash, hash), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FilesCodec.write(out, piece);
        byte[] wire = out.toByteArray();
        assertThat(FilesCodec.read(new ByteArrayInputStream(wire), FilesCodec.MAX_FRAME_BYTES)).isEqualTo(piece);

        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 10);
        assertThatThrownBy(() -> FilesCodec.read(new ByteArrayInputStream(cut), FilesCodec.MAX_FRAME_BYTES))
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended after " + (wire.length - 10 - 2) + " of " + (wire.length - 2) + " frame bytes");
        assertThatThrownBy(() -> FilesCodec.read(new ByteArrayInputStream(HEX.parseHex("00")), FilesCodec.MAX_FRAME_BYTES))
                .isInstanceOf(PeerFaultException.class).hasMessage("files frame is empty");
    }

    private static ByteArrayInputStream framed(String hex) {
        byte[] body = HEX.parseHex(hex);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(org.parley.libp2p.multiformats.Varint.encode(body.length));
        out.writeBytes(body);
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static void assertDecodeFails(String hex, String message) {
        assertThatThrownBy(() -> FilesCodec.decode(HEX.parseHex(hex))).isInstanceOf(PeerFaultException.class).hasMessage(message);
    }
}
