package org.parley.libp2p.noise;

import org.parley.libp2p.crypto.Aead;

/**
 * The libp2p Noise framing, shared by handshake and transport messages. Stateless.
 *
 * <pre>
 *   +---------------+---------------------------------------------+
 *   | length: BE16  | Noise message: length bytes (0 to 65535)     |
 *   +---------------+---------------------------------------------+
 *   transport message = ChaCha20-Poly1305 ciphertext ‖ 16-byte tag, AD empty
 * </pre>
 */
final class NoiseFrames {

    static final int HEADER_BYTES = 2;
    /** Noise spec §3 caps a message at 65535 bytes, which is also all that BE16 can say. */
    static final int MAX_MESSAGE_BYTES = 0xFFFF;
    /** A transport message carries its plaintext plus the tag, so 65519 bytes of data per frame. */
    static final int MAX_PLAINTEXT_BYTES = MAX_MESSAGE_BYTES - Aead.TAG_BYTES;

    private NoiseFrames() {}

    /** {@code BE16(len) ‖ message}, for handshake messages. */
    static byte[] frame(byte[] message) {
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("Noise message of " + message.length
                    + " bytes exceeds the " + MAX_MESSAGE_BYTES + "-byte maximum");
        }
        byte[] out = new byte[HEADER_BYTES + message.length];
        putHeader(out, 0, message.length);
        System.arraycopy(message, 0, out, HEADER_BYTES, message.length);
        return out;
    }

    static void putHeader(byte[] buf, int off, int length) {
        buf[off] = (byte) (length >>> 8);
        buf[off + 1] = (byte) length;
    }

    static int readHeader(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }
}
