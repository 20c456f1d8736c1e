package org.parley.libp2p.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.parley.libp2p.core.PeerFaultException;

/**
 * {@code uvarint(length) ‖ bytes} messages, the framing of identify, kad, relay and most libp2p
 * protocols. The declared length is checked against the caller's limit before allocation.
 * Stateless, thread safe; streams belong to the caller.
 */
public final class LengthPrefixed {

    private LengthPrefixed() {}

    /**
     * Reads one message of at most {@code maxLength} bytes.
     *
     * @return the message, or null if the stream ended cleanly before it
     * @throws PeerFaultException if the declared length exceeds {@code maxLength}
     * @throws EOFException if the stream ends inside the message
     */
    public static byte[] read(InputStream in, int maxLength) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length > maxLength) {
            throw new PeerFaultException(
                    "length-prefixed message of " + length + " bytes exceeds the limit of " + maxLength);
        }
        byte[] message = in.readNBytes((int) length);
        if (message.length != length) {
            throw new EOFException("stream ended after " + message.length + " of " + length + " message bytes");
        }
        return message;
    }

    /** Writes one message; the caller flushes. */
    public static void write(OutputStream out, byte[] message) throws IOException {
        Varint.write(message.length, out);
        out.write(message);
    }

    /** The framed form of {@code message}. */
    public static byte[] frame(byte[] message) {
        byte[] out = new byte[Varint.size(message.length) + message.length];
        int offset = Varint.write(message.length, out, 0);
        System.arraycopy(message, 0, out, offset, message.length);
        return out;
    }
}
