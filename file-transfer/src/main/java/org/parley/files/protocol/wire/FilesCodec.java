package org.parley.files.protocol.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.parley.files.manifest.ChunkSizes;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.ManifestCodec;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.wire.FilesMessage.Have;
import org.parley.files.protocol.wire.FilesMessage.HaveBitfield;
import org.parley.files.protocol.wire.FilesMessage.ManifestAnswer;
import org.parley.files.protocol.wire.FilesMessage.ManifestRequest;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.PieceRequest;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.files.protocol.wire.FilesMessage.RefusalReason;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;

/**
 * {@link FilesMessage}s to bytes and back. Every message is one frame:
 *
 * <pre>
 *   varint  frame length       the rest; checked against the reader's limit before allocation
 *   u8      type               1 manifest request, 2 manifest, 3 have-bitfield, 4 have,
 *                              5 piece request, 6 piece, 7 refusal
 *   body:
 *     1 manifest request  file id multihash (rest of frame)
 *     2 manifest          encoded manifest (rest of frame; see ManifestCodec)
 *     3 have-bitfield     bitfield bytes (rest), piece i = bit (i % 8), LSB first, of byte i / 8
 *     4 have              varint piece index
 *     5 piece request     varint piece index
 *     6 piece             varint index, u8 proof length n (0..12), n x 32-byte hashes,
 *                         ciphertext chunk (rest; 17..16 MiB + 16 bytes)
 *     7 refusal           u8 reason (1 unknown file, 2 do not have, 3 too many requests,
 *                         4 unavailable), varint index + 1 (0 = none), UTF-8 detail (rest)
 * </pre>
 *
 * Unknown types and trailing bytes are peer faults. Stateless, thread safe.
 */
public final class FilesCodec {

    /** A Merkle proof over at most 4,096 leaves has at most 12 sibling hashes. */
    public static final int MAX_PROOF_HASHES = 32 - Integer.numberOfLeadingZeros(ChunkSizes.MAX_CHUNKS - 1);
    /** The largest sealed chunk: a 16 MiB chunk and its tag. */
    public static final int MAX_PIECE_DATA_BYTES = ChunkSizes.MAX_CHUNK_SIZE + 16;
    /** A bitfield of 4,096 pieces. */
    public static final int MAX_BITFIELD_BYTES = ChunkSizes.MAX_CHUNKS / 8;
    /** A refusal's detail is a short human-readable reason, not a report. */
    public static final int MAX_DETAIL_BYTES = 200;
    /** The largest frame of any kind: a piece of the largest chunk size with the longest proof. */
    public static final int MAX_FRAME_BYTES = 1 + Varint.MAX_BYTES + 1 + MAX_PROOF_HASHES * MerkleTree.HASH_BYTES + MAX_PIECE_DATA_BYTES;
    /**
     * The largest frame a responder reads: every initiator message is small (the manifest request
     * carries a 34-byte multihash), so a responder never buffers more than this per stream.
     */
    public static final int MAX_REQUEST_FRAME_BYTES = 256;

    /** A piece's head before its data: varint index, proof length, the longest proof. */
    private static final int PIECE_HEAD_MAX_BYTES = Varint.MAX_BYTES + 1 + MAX_PROOF_HASHES * MerkleTree.HASH_BYTES;

    static final int MANIFEST_REQUEST = 1;
    static final int MANIFEST = 2;
    static final int HAVE_BITFIELD = 3;
    static final int HAVE = 4;
    static final int PIECE_REQUEST = 5;
    static final int PIECE = 6;
    static final int REFUSAL = 7;

    private FilesCodec() {}

    /** The largest frame an initiator reads for a file of this chunk size. */
    public static int maxFrameBytes(int chunkSize) {
        return Math.max(MAX_REQUEST_FRAME_BYTES + ManifestCodec.MAX_ENCODED_BYTES + MAX_BITFIELD_BYTES,
                1 + Varint.MAX_BYTES + 1 + MAX_PROOF_HASHES * MerkleTree.HASH_BYTES + chunkSize + 16);
    }

    /** Writes one frame; the caller flushes. Piece data goes out without a copy. */
    public static void write(OutputStream out, FilesMessage message) throws IOException {
        if (message instanceof Piece piece) {
            byte[] header = pieceHeader(piece);
            int length = header.length + piece.data().length;
            byte[] prefix = Varint.encode(length);
            byte[] head = new byte[prefix.length + header.length];
            System.arraycopy(prefix, 0, head, 0, prefix.length);
            System.arraycopy(header, 0, head, prefix.length, header.length);
            out.write(head);
            out.write(piece.data());
            return;
        }
        byte[] body = encode(message);
        Varint.write(body.length, out);
        out.write(body);
    }

    /**
     * Reads one frame of at most {@code maxFrameBytes}.
     *
     * @return the message, or null if the stream ended cleanly before a frame
     * @throws PeerFaultException if the frame is too long or malformed
     * @throws EOFException if the stream ends inside a frame
     */
    public static FilesMessage read(InputStream in, int maxFrameBytes) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length > maxFrameBytes) {
            throw new PeerFaultException("files frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
        }
        if (length == 0) {
            throw new PeerFaultException("files frame is empty");
        }
        int type = in.read();
        if (type < 0) {
            throw new EOFException("stream ended after 0 of " + length + " frame bytes");
        }
        if (type == PIECE) {
            return readPiece(in, (int) length - 1);
        }
        byte[] frame = new byte[(int) length];
        frame[0] = (byte) type;
        readFully(in, frame, 1, frame.length - 1, 1, length);
        return decode(frame);
    }

    /**
     * Reads a piece's body straight into its data array: its head (index and proof) is read first
     * into a small buffer, so the chunk bytes are copied once, from the stream into the array the
     * piece keeps. Same checks and messages as {@link #decodePiece}.
     */
    private static Piece readPiece(InputStream in, int bodyLength) throws IOException {
        byte[] head = new byte[Math.min(bodyLength, PIECE_HEAD_MAX_BYTES)];
        readFully(in, head, 0, head.length, 1, bodyLength + 1L);
        ByteBuffer h = ByteBuffer.wrap(head);
        int index = index(h, "piece");
        List<byte[]> proof = proof(h, index);
        int dataLength = bodyLength - h.position();
        checkPieceDataLength(index, dataLength);
        byte[] data = new byte[dataLength];
        int fromHead = h.remaining();
        h.get(data, 0, fromHead);
        readFully(in, data, fromHead, dataLength - fromHead, 1 + head.length, bodyLength + 1L);
        return new Piece(index, proof, data);
    }

    /** Reads exactly {@code length} bytes of a frame, {@code before} of whose bytes were read already. */
    private static void readFully(InputStream in, byte[] into, int offset, int length, long before, long frameLength) throws IOException {
        int got = in.readNBytes(into, offset, length);
        if (got != length) {
            throw new EOFException("stream ended after " + (before + got) + " of " + frameLength + " frame bytes");
        }
    }

    /** The frame body (type and fields, without the length prefix). */
    public static byte[] encode(FilesMessage message) {
        return switch (message) {
            case ManifestRequest m -> concat(MANIFEST_REQUEST, m.fileId().bytes());
            case ManifestAnswer m -> concat(MANIFEST, m.manifest());
            case HaveBitfield h -> concat(HAVE_BITFIELD, h.bits());
            case Have h -> concat(HAVE, Varint.encode(h.index()));
            case PieceRequest r -> concat(PIECE_REQUEST, Varint.encode(r.index()));
            case Piece p -> {
                byte[] header = pieceHeader(p);
                byte[] out = new byte[header.length + p.data().length];
                System.arraycopy(header, 0, out, 0, header.length);
                System.arraycopy(p.data(), 0, out, header.length, p.data().length);
                yield out;
            }
            case Refusal r -> {
                byte[] index = Varint.encode(r.index() + 1L);
                byte[] detail = truncatedUtf8(r.detail());
                byte[] out = new byte[2 + index.length + detail.length];
                out[0] = REFUSAL;
                out[1] = (byte) r.reason().code;
                System.arraycopy(index, 0, out, 2, index.length);
                System.arraycopy(detail, 0, out, 2 + index.length, detail.length);
                yield out;
            }
        };
    }

    /**
     * Parses one frame body.
     *
     * @throws PeerFaultException naming what is wrong
     */
    public static FilesMessage decode(byte[] frame) throws PeerFaultException {
        if (frame.length == 0) {
            throw new PeerFaultException("files frame is empty");
        }
        if (frame.length > MAX_FRAME_BYTES) {
            throw new PeerFaultException("files frame of " + frame.length + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(frame, 1, frame.length - 1);
        int type = frame[0] & 0xFF;
        return switch (type) {
            case MANIFEST_REQUEST -> new ManifestRequest(FileId.fromBytes(rest(in)));
            case MANIFEST -> {
                if (in.remaining() > ManifestCodec.MAX_ENCODED_BYTES) {
                    throw new PeerFaultException("manifest of " + in.remaining() + " bytes exceeds the limit of " + ManifestCodec.MAX_ENCODED_BYTES);
                }
                yield new ManifestAnswer(rest(in));
            }
            case HAVE_BITFIELD -> {
                if (in.remaining() > MAX_BITFIELD_BYTES) {
                    throw new PeerFaultException("have-bitfield of " + in.remaining() + " bytes exceeds the limit of " + MAX_BITFIELD_BYTES);
                }
                yield new HaveBitfield(rest(in));
            }
            case HAVE -> end(in, new Have(index(in, "have")));
            case PIECE_REQUEST -> end(in, new PieceRequest(index(in, "piece request")));
            case PIECE -> decodePiece(in);
            case REFUSAL -> decodeRefusal(in);
            default -> throw new PeerFaultException("unknown files message type " + type);
        };
    }

    private static Piece decodePiece(ByteBuffer in) throws PeerFaultException {
        int index = index(in, "piece");
        List<byte[]> proof = proof(in, index);
        checkPieceDataLength(index, in.remaining());
        return new Piece(index, proof, rest(in));
    }

    /** The proof length byte and the hashes, checked against what the head holds. */
    private static List<byte[]> proof(ByteBuffer in, int index) throws PeerFaultException {
        if (!in.hasRemaining()) {
            throw new PeerFaultException("piece " + index + " ends before its proof length");
        }
        int hashes = in.get() & 0xFF;
        if (hashes > MAX_PROOF_HASHES) {
            throw new PeerFaultException("piece " + index + " has a proof of " + hashes + " hashes, more than " + MAX_PROOF_HASHES);
        }
        if (in.remaining() < hashes * MerkleTree.HASH_BYTES) {
            throw new PeerFaultException("piece " + index + " ends inside its proof");
        }
        List<byte[]> proof = new ArrayList<>(hashes);
        for (int i = 0; i < hashes; i++) {
            byte[] hash = new byte[MerkleTree.HASH_BYTES];
            in.get(hash);
            proof.add(hash);
        }
        return proof;
    }

    private static void checkPieceDataLength(int index, int dataLength) throws PeerFaultException {
        if (dataLength <= 16 || dataLength > MAX_PIECE_DATA_BYTES) {
            throw new PeerFaultException("piece " + index + " carries " + dataLength + " data bytes, expected 17.." + MAX_PIECE_DATA_BYTES);
        }
    }

    private static Refusal decodeRefusal(ByteBuffer in) throws PeerFaultException {
        if (!in.hasRemaining()) {
            throw new PeerFaultException("refusal ends before its reason");
        }
        int code = in.get() & 0xFF;
        RefusalReason reason = RefusalReason.ofCode(code);
        if (reason == null) {
            throw new PeerFaultException("unknown refusal reason " + code);
        }
        long index = Varint.read(in);
        if (index > ChunkSizes.MAX_CHUNKS) {
            throw new PeerFaultException("refusal names piece " + (index - 1) + ", beyond the limit of " + ChunkSizes.MAX_CHUNKS + " pieces");
        }
        if (in.remaining() > MAX_DETAIL_BYTES) {
            throw new PeerFaultException("refusal detail of " + in.remaining() + " bytes exceeds " + MAX_DETAIL_BYTES);
        }
        byte[] detail = rest(in);
        String text = new String(detail, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), detail)) {
            throw new PeerFaultException("refusal detail is not valid UTF-8");
        }
        return new Refusal(reason, (int) index - 1, text);
    }

    private static int index(ByteBuffer in, String what) throws PeerFaultException {
        long index = Varint.read(in);
        if (index >= ChunkSizes.MAX_CHUNKS) {
            throw new PeerFaultException(what + " names piece " + index + ", beyond the limit of " + ChunkSizes.MAX_CHUNKS + " pieces");
        }
        return (int) index;
    }

    private static <T extends FilesMessage> T end(ByteBuffer in, T message) throws PeerFaultException {
        if (in.hasRemaining()) {
            throw new PeerFaultException("files message " + message + " has " + in.remaining() + " trailing bytes");
        }
        return message;
    }

    private static byte[] rest(ByteBuffer in) {
        byte[] out = new byte[in.remaining()];
        in.get(out);
        return out;
    }

    private static byte[] pieceHeader(Piece p) {
        byte[] index = Varint.encode(p.index());
        byte[] out = new byte[1 + index.length + 1 + p.proof().size() * MerkleTree.HASH_BYTES];
        out[0] = PIECE;
        System.arraycopy(index, 0, out, 1, index.length);
        int at = 1 + index.length;
        out[at++] = (byte) p.proof().size();
        for (byte[] hash : p.proof()) {
            System.arraycopy(hash, 0, out, at, MerkleTree.HASH_BYTES);
            at += MerkleTree.HASH_BYTES;
        }
        return out;
    }

    private static byte[] concat(int type, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = (byte) type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Cuts the detail to {@link #MAX_DETAIL_BYTES} on a character boundary. */
    private static byte[] truncatedUtf8(String detail) {
        byte[] bytes = detail.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_DETAIL_BYTES) {
            return bytes;
        }
        int end = MAX_DETAIL_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
