package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.crypto.Aead;

/**
 * The writing side of a {@link NoiseSecureChannel}. Small writes collect, as plaintext, in the
 * frame buffer until {@link #flush()} or until a frame's worth (65519 bytes) is there, and are then
 * encrypted in place; a write of a whole frame or more is encrypted straight from the caller's
 * array. Each frame leaves in one write to the raw stream.
 *
 * <p>Memory: the frame buffer starts small, grows to a maximal frame when a write needs it, and
 * shrinks again once the frames sent have been small for a while, so that an idle connection does
 * not hold a 64 KiB buffer.
 *
 * <p>Threading: one writer thread.
 */
final class NoiseChannelOutput extends OutputStream {

    /**
     * The buffer while frames are small: yamux control frames and most request/response messages
     * (identify, DHT) fit, so only bulk transfers need the large one.
     */
    static final int SMALL_BUFFER_BYTES = 8 * 1024;

    /** The buffer during bulk traffic: one maximal frame, header and tag included. */
    static final int LARGE_BUFFER_BYTES = NoiseFrames.HEADER_BYTES + NoiseFrames.MAX_MESSAGE_BYTES;

    /**
     * Frames that fit the small buffer sent in a row before the large buffer is dropped. Bulk
     * traffic sends a short frame at each flush, so one small frame alone does not mean it has
     * ended; several in a row do.
     */
    static final int SHRINK_AFTER_SMALL_FRAMES = 4;

    private final NoiseSecureChannel channel;
    private final OutputStream raw;
    private final CipherState cipher;
    /** Header, then plaintext ({@link #count} bytes) that becomes ciphertext, then room for the tag. */
    private byte[] frame = new byte[SMALL_BUFFER_BYTES];
    private int count;
    private int smallFramesInARow;
    private boolean closed;

    NoiseChannelOutput(NoiseSecureChannel channel, OutputStream raw, CipherState cipher) {
        this.channel = channel;
        this.raw = raw;
        this.cipher = cipher;
    }

    @Override
    public void write(int b) throws IOException {
        checkWritable();
        ensureCapacity(count + 1);
        frame[NoiseFrames.HEADER_BYTES + count++] = (byte) b;
        if (count == NoiseFrames.MAX_PLAINTEXT_BYTES) {
            sendBuffered();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkWritable();
        while (len > 0) {
            if (count == 0 && len >= NoiseFrames.MAX_PLAINTEXT_BYTES) {
                ensureCapacity(NoiseFrames.MAX_PLAINTEXT_BYTES);
                sendFrame(b, off, NoiseFrames.MAX_PLAINTEXT_BYTES);
                off += NoiseFrames.MAX_PLAINTEXT_BYTES;
                len -= NoiseFrames.MAX_PLAINTEXT_BYTES;
                continue;
            }
            int n = Math.min(len, NoiseFrames.MAX_PLAINTEXT_BYTES - count);
            ensureCapacity(count + n);
            System.arraycopy(b, off, frame, NoiseFrames.HEADER_BYTES + count, n);
            count += n;
            off += n;
            len -= n;
            if (count == NoiseFrames.MAX_PLAINTEXT_BYTES) {
                sendBuffered();
            }
        }
    }

    /** Sends the buffered bytes as one frame and flushes the raw stream. */
    @Override
    public void flush() throws IOException {
        checkWritable();
        if (count > 0) {
            sendBuffered();
        }
        if (frame.length > SMALL_BUFFER_BYTES && smallFramesInARow >= SHRINK_AFTER_SMALL_FRAMES) {
            frame = new byte[SMALL_BUFFER_BYTES];
        }
        try {
            raw.flush();
        } catch (IOException e) {
            throw channel.failed(e);
        }
    }

    /**
     * Flushes, then closes the raw output: what that means (a TCP half-close, a pipe's end of
     * stream) is up to the raw connection. Noise itself has no close message. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed || channel.isClosed()) {
            closed = true;
            return;
        }
        flush();
        closed = true;
        try {
            raw.close();
        } catch (IOException e) {
            throw channel.failed(e);
        }
    }

    /** The size of the current frame buffer; package-private for tests. */
    int bufferSize() {
        return frame.length;
    }

    /** Makes room for {@code plaintext} bytes, keeping those buffered. */
    private void ensureCapacity(int plaintext) {
        if (NoiseFrames.HEADER_BYTES + plaintext + Aead.TAG_BYTES > frame.length) {
            frame = Arrays.copyOf(frame, LARGE_BUFFER_BYTES);
        }
    }

    private void sendBuffered() throws IOException {
        int n = count;
        count = 0;
        sendFrame(frame, NoiseFrames.HEADER_BYTES, n);
    }

    /** Encrypts {@code src[off, off+len)} into the frame buffer (in place if it is already there) and sends it. */
    private void sendFrame(byte[] src, int off, int len) throws IOException {
        int length = cipher.encryptWithAd(null, src, off, len, frame, NoiseFrames.HEADER_BYTES);
        NoiseFrames.putHeader(frame, 0, length);
        smallFramesInARow = NoiseFrames.HEADER_BYTES + length <= SMALL_BUFFER_BYTES ? smallFramesInARow + 1 : 0;
        try {
            raw.write(frame, 0, NoiseFrames.HEADER_BYTES + length);
        } catch (IOException e) {
            throw channel.failed(e);
        }
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new ConnectionClosedException("Noise channel output is closed");
        }
        channel.checkOpen();
    }
}
