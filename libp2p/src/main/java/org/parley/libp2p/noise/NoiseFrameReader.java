package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.InputStream;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Splits the raw input into Noise frames. It reads as much as the stream offers into one buffer
 * that holds at least a whole frame, so a single read may deliver the last handshake message and
 * the first transport frames: the same reader therefore serves the handshake and then the channel,
 * and no byte read ahead is lost. The current frame may be rewritten in place (decrypted) by the
 * caller until the next call to {@link #next()}.
 *
 * <p>Memory: the buffer starts small, grows to two maximal frames when a larger frame arrives,
 * and shrinks again once traffic has been small for a while, so that an idle connection does not
 * hold a 128 KiB buffer.
 *
 * <p>Threading: one reading thread.
 */
final class NoiseFrameReader {

    /**
     * The buffer while frames are small: handshake messages, yamux control frames and most
     * request/response messages (identify, DHT) fit, so only bulk transfers need the large one.
     */
    static final int SMALL_BUFFER_BYTES = 8 * 1024;

    /**
     * The buffer during bulk traffic: two maximal frames, so that one read can complete a frame and
     * fetch much of the next, halving the system calls of a receiver that falls behind.
     */
    static final int LARGE_BUFFER_BYTES = 2 * (NoiseFrames.HEADER_BYTES + NoiseFrames.MAX_MESSAGE_BYTES);

    /**
     * Frames that fit the small buffer in a row before the large buffer is dropped. Bulk traffic
     * mixes in a short frame at each flush, so one small frame alone does not mean it has ended;
     * several in a row (window updates, keep-alive pings) do.
     */
    static final int SHRINK_AFTER_SMALL_FRAMES = 4;

    private final InputStream in;
    private byte[] buf = new byte[SMALL_BUFFER_BYTES];
    private int smallFramesInARow;
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
        shrinkIfIdle();
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
        smallFramesInARow = total <= SMALL_BUFFER_BYTES ? smallFramesInARow + 1 : 0;
        return true;
    }

    /** The size of the current buffer; package-private for tests. */
    int bufferSize() {
        return buf.length;
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

    /** Drops the large buffer when it holds nothing unread and recent frames were all small. */
    private void shrinkIfIdle() {
        if (pos == limit && buf.length > SMALL_BUFFER_BYTES && smallFramesInARow >= SHRINK_AFTER_SMALL_FRAMES) {
            buf = new byte[SMALL_BUFFER_BYTES];
            pos = 0;
            limit = 0;
        }
    }

    /** Ensures {@code need} unread bytes; false if the stream ended first. */
    private boolean fill(int need) throws IOException {
        if (limit - pos >= need) {
            return true;
        }
        if (buf.length - pos < need) {
            byte[] target = need > buf.length ? new byte[LARGE_BUFFER_BYTES] : buf;
            System.arraycopy(buf, pos, target, 0, limit - pos);
            buf = target;
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
