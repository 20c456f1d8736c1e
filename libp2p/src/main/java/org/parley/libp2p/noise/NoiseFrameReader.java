package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.InputStream;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Splits the raw input into Noise frames. It reads as much as the stream offers into one buffer
 * that holds at least a whole frame, so a single read may deliver the last handshake message and
 * the first transport frames: the same reader therefore serves the handshake and then the channel,
 * and no byte read ahead is lost.
 *
 * <p>Threading: one reading thread.
 */
final class NoiseFrameReader {

    /** Two whole frames: a read can complete one frame and start the next without compacting. */
    static final int BUFFER_BYTES = 2 * (NoiseFrames.HEADER_BYTES + NoiseFrames.MAX_MESSAGE_BYTES);

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    private int frameOffset;
    private int frameLength;

    NoiseFrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame; afterwards {@link #buffer()}, {@link #frameOffset()} and
     * {@link #frameLength()} describe it until the next call.
     *
     * @return false if the stream ended cleanly between frames
     * @throws PeerFaultException if the stream ends inside a frame
     */
    boolean next() throws IOException {
        if (!fill(NoiseFrames.HEADER_BYTES)) {
            if (limit == pos) {
                return false;
            }
            throw new PeerFaultException("Noise frame truncated: the stream ended after 1 of 2 length bytes");
        }
        int length = NoiseFrames.readHeader(buf, pos);
        int total = NoiseFrames.HEADER_BYTES + length;
        if (!fill(total)) {
            throw new PeerFaultException("Noise frame truncated: the stream ended after "
                    + (limit - pos - NoiseFrames.HEADER_BYTES) + " of " + length + " bytes");
        }
        frameOffset = pos + NoiseFrames.HEADER_BYTES;
        frameLength = length;
        pos += total;
        return true;
    }

    byte[] buffer() {
        return buf;
    }

    int frameOffset() {
        return frameOffset;
    }

    int frameLength() {
        return frameLength;
    }

    /** Ensures {@code need} unread bytes; false if the stream ended first. */
    private boolean fill(int need) throws IOException {
        if (limit - pos >= need) {
            return true;
        }
        if (buf.length - pos < need) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < need) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
        }
        return true;
    }
}
