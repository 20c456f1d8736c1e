package org.parley.libp2p.yamux;

import java.io.IOException;
import java.io.InputStream;
import org.parley.libp2p.core.ConnectionClosedException;

/**
 * Reads frames from the connection for the session's reader thread: one read fetches many small
 * frames at once, and large payloads go straight from the connection into the stream's buffer.
 *
 * <p>Not thread safe: only the session's reader thread uses it.
 */
final class YamuxFrameReader {

    /**
     * One read from the connection fetches up to this much, e.g. many small frames. The secure
     * channel below buffers whole frames already, so this saves calls, not system calls, and stays
     * small: hundreds of idle sessions hold little, and bulk payloads never pass through it.
     */
    static final int BUFFER_SIZE = 8 * 1024;

    /**
     * A payload remainder at least this large is read straight into its destination; a smaller
     * one is read through the buffer, which likely also fetches the frames after it.
     */
    static final int DIRECT_READ_MIN = BUFFER_SIZE / 4;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    /**
     * The last payload was large enough to be read straight into its stream: the next frame is
     * probably large too, so fetch only its header instead of copying the start of its payload
     * through the buffer.
     */
    private boolean bulk;

    YamuxFrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads and decodes the next header; a DATA frame's payload is left for {@link #readPayload}
     * or {@link #skipPayload}.
     *
     * @return the header, or null if the connection ended cleanly between frames
     */
    YamuxFrame readHeader() throws IOException {
        if (!fill(YamuxFrameCodec.HEADER_LENGTH, !bulk)) {
            return null;
        }
        YamuxFrame header = YamuxFrameCodec.decodeHeader(buffer, position);
        position += YamuxFrameCodec.HEADER_LENGTH;
        return header;
    }

    /**
     * Reads between 1 and {@code length} payload bytes into {@code destination}, as many as come
     * without waiting twice, and returns how many; so the caller can hand over each part as it
     * arrives.
     */
    int readPayloadPart(byte[] destination, int offset, int length) throws IOException {
        if (position == limit) {
            if (length >= DIRECT_READ_MIN) {
                bulk = true;
                int n = in.read(destination, offset, length);
                if (n < 0) {
                    throw endedInsideFrame();
                }
                return n;
            }
            bulk = false;
            if (!fill(1, true)) {
                throw endedInsideFrame();
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, destination, offset, n);
        position += n;
        return n;
    }

    /** Reads and drops {@code length} payload bytes. */
    void skipPayload(long length) throws IOException {
        while (length > 0) {
            if (position == limit && !fill(1, true)) {
                throw endedInsideFrame();
            }
            int n = (int) Math.min(length, limit - position);
            position += n;
            length -= n;
        }
    }

    /**
     * Makes at least {@code needed} bytes available in the buffer, reading as much as the
     * connection has when {@code greedy}, else no more than needed. Returns false if the
     * connection ended cleanly with nothing buffered.
     */
    private boolean fill(int needed, boolean greedy) throws IOException {
        if (limit - position >= needed) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < needed) {
            int n = in.read(buffer, limit, greedy ? buffer.length - limit : needed - limit);
            if (n < 0) {
                if (limit == 0) {
                    return false;
                }
                throw endedInsideFrame();
            }
            limit += n;
        }
        return true;
    }

    private static ConnectionClosedException endedInsideFrame() {
        return new ConnectionClosedException("yamux connection ended inside a frame");
    }
}
