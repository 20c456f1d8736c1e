package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.parley.libp2p.core.ConnectionClosedException;

/**
 * The writing side of a {@link NoiseSecureChannel}. Small writes collect in a plaintext buffer
 * until {@link #flush()} or until a frame's worth (65519 bytes) is there; a write of a whole
 * frame or more is encrypted straight from the caller's array. Each frame leaves in one write to
 * the raw stream.
 *
 * <p>Threading: one writer thread.
 */
final class NoiseChannelOutput extends OutputStream {

    private final NoiseSecureChannel channel;
    private final OutputStream raw;
    private final CipherState cipher;
    private final byte[] plain = new byte[NoiseFrames.MAX_PLAINTEXT_BYTES];
    private final byte[] frame = new byte[NoiseFrames.HEADER_BYTES + NoiseFrames.MAX_MESSAGE_BYTES];
    private int count;
    private boolean closed;

    NoiseChannelOutput(NoiseSecureChannel channel, OutputStream raw, CipherState cipher) {
        this.channel = channel;
        this.raw = raw;
        this.cipher = cipher;
    }

    @Override
    public void write(int b) throws IOException {
        checkWritable();
        plain[count++] = (byte) b;
        if (count == plain.length) {
            sendBuffered();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkWritable();
        while (len > 0) {
            if (count == 0 && len >= NoiseFrames.MAX_PLAINTEXT_BYTES) {
                sendFrame(b, off, NoiseFrames.MAX_PLAINTEXT_BYTES);
                off += NoiseFrames.MAX_PLAINTEXT_BYTES;
                len -= NoiseFrames.MAX_PLAINTEXT_BYTES;
                continue;
            }
            int n = Math.min(len, plain.length - count);
            System.arraycopy(b, off, plain, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == plain.length) {
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

    private void sendBuffered() throws IOException {
        int n = count;
        count = 0;
        sendFrame(plain, 0, n);
    }

    private void sendFrame(byte[] src, int off, int len) throws IOException {
        int length = cipher.encryptWithAd(null, src, off, len, frame, NoiseFrames.HEADER_BYTES);
        NoiseFrames.putHeader(frame, 0, length);
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
