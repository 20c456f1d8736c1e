package org.parley.libp2p.multistream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;

/**
 * Reads and writes multistream-select messages. Stateless and thread safe.
 *
 * <pre>
 *   uvarint(n) ‖ UTF-8 text ‖ 0x0a        n counts the text and the newline, 1 ≤ n ≤ 1024
 *   "/multistream/1.0.0" → 13 2f6d756c746973747265616d2f312e302e30 0a
 *   "na"                 → 03 6e61 0a
 * </pre>
 *
 * <p>Reads are byte-exact: the varint is read one byte at a time and the body with exactly its
 * length, so bytes that follow the negotiation in the same segment (Noise message 1, a protocol's
 * first request) stay in the stream for the next layer. Callers that need speed give us a buffered
 * stream and hand that same stream on.
 */
public final class MultistreamCodec {

    /**
     * go-multistream rejects longer messages; protocol ids are short paths, so 1024 bytes bounds
     * what a peer can make us allocate without refusing any real id.
     */
    public static final int MAX_MESSAGE_BYTES = 1024;

    private static final byte NEWLINE = '\n';

    private MultistreamCodec() {}

    /** The wire form of one message with {@code text}. */
    public static byte[] encode(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        int n = body.length + 1;
        if (n > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("multistream-select message of " + n
                    + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES + ": " + abbreviate(text));
        }
        byte[] out = new byte[Varint.size(n) + n];
        int offset = Varint.write(n, out, 0);
        System.arraycopy(body, 0, out, offset, body.length);
        out[out.length - 1] = NEWLINE;
        return out;
    }

    /** The wire form of several messages back to back, for one batched write. */
    public static byte[] encode(String... texts) {
        byte[][] parts = new byte[texts.length][];
        int total = 0;
        for (int i = 0; i < texts.length; i++) {
            parts[i] = encode(texts[i]);
            total += parts[i].length;
        }
        byte[] out = new byte[total];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    /** Writes one message and flushes. */
    public static void write(OutputStream out, String text) throws IOException {
        out.write(encode(text));
        out.flush();
    }

    /**
     * Reads one message and returns its text without the newline.
     *
     * @throws PeerFaultException if the length is 0 or above {@link #MAX_MESSAGE_BYTES}, or the body
     *     does not end in a newline
     * @throws ConnectionClosedException if the stream ends before or inside the message
     */
    public static String read(InputStream in) throws IOException {
        byte[] body = readBody(in);
        if (body[body.length - 1] != NEWLINE) {
            throw new PeerFaultException("multistream-select message of " + body.length
                    + " bytes does not end in a newline");
        }
        return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
    }

    /** Reads one length-prefixed message body (newline included), checking the length first. */
    private static byte[] readBody(InputStream in) throws IOException {
        long n;
        try {
            n = Varint.read(in);
        } catch (EOFException e) {
            throw new ConnectionClosedException("stream ended inside a multistream-select length", e);
        }
        if (n < 0) {
            throw new ConnectionClosedException("stream ended before a multistream-select message");
        }
        if (n == 0) {
            throw new PeerFaultException("empty multistream-select message; expected text ending in a newline");
        }
        if (n > MAX_MESSAGE_BYTES) {
            throw new PeerFaultException("multistream-select message of " + n
                    + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES);
        }
        byte[] body = in.readNBytes((int) n);
        if (body.length != n) {
            throw new ConnectionClosedException("stream ended after " + body.length + " of " + n
                    + " multistream-select message bytes");
        }
        return body;
    }

    /** Frames an already built body (the {@code ls} reply, whose body holds binary varints). */
    static byte[] frame(byte[] body) {
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("multistream-select message of " + body.length
                    + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES);
        }
        byte[] out = new byte[Varint.size(body.length) + body.length];
        int offset = Varint.write(body.length, out, 0);
        System.arraycopy(body, 0, out, offset, body.length);
        return out;
    }

    /** Keeps log lines and error messages short when a peer sends a long id. */
    static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
