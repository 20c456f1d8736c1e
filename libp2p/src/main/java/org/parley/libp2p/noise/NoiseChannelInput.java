package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Aead;

/**
 * The reading side of a {@link NoiseSecureChannel}: decrypts one transport frame at a time. A read
 * with room for a whole frame's plaintext decrypts straight into the caller's array; otherwise the
 * frame is decrypted in place in the {@link NoiseFrameReader}'s buffer and served from there, so
 * this class holds no buffer of its own.
 *
 * <p>Threading: one reader thread.
 */
final class NoiseChannelInput extends InputStream {

    private final NoiseSecureChannel channel;
    private final NoiseFrameReader frames;
    private final CipherState cipher;
    private final byte[] single = new byte[1];
    private int plainPos;
    private int plainLimit;
    private boolean eof;

    NoiseChannelInput(NoiseSecureChannel channel, NoiseFrameReader frames, CipherState cipher) {
        this.channel = channel;
        this.frames = frames;
        this.cipher = cipher;
    }

    @Override
    public int read() throws IOException {
        int n = read(single, 0, 1);
        return n < 0 ? -1 : single[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (plainPos == plainLimit) {
            if (eof) {
                return -1;
            }
            int direct = nextFrame(b, off, len);
            if (direct > 0) {
                return direct;
            }
        }
        int n = Math.min(len, plainLimit - plainPos);
        System.arraycopy(frames.buffer(), plainPos, b, off, n);
        plainPos += n;
        return n;
    }

    @Override
    public int available() {
        return plainLimit - plainPos;
    }

    /** Stops reading; the peer learns nothing until the whole channel closes (Noise has no half-close). */
    @Override
    public void close() {
        eof = true;
        plainPos = plainLimit;
    }

    /**
     * Decrypts the next frame, into {@code b} when its plaintext fits there (returning its length)
     * or else in place in the frame reader's buffer (returning 0). Sets {@link #eof} at a clean end of stream.
     */
    private int nextFrame(byte[] b, int off, int len) throws IOException {
        channel.checkOpen();
        boolean hasFrame;
        try {
            hasFrame = frames.next();
        } catch (IOException e) {
            throw channel.failed(e);
        }
        if (!hasFrame) {
            eof = true;
            return 0;
        }
        int length = frames.frameLength();
        if (length < Aead.TAG_BYTES) {
            throw channel.failed(new PeerFaultException("Noise transport frame of " + length
                    + " bytes is shorter than the " + Aead.TAG_BYTES + "-byte tag"));
        }
        int plaintextLength = length - Aead.TAG_BYTES;
        try {
            if (plaintextLength > 0 && plaintextLength <= len) {
                return cipher.decryptWithAd(null, frames.buffer(), frames.frameOffset(), length, b, off);
            }
            byte[] buffer = frames.buffer();
            int offset = frames.frameOffset();
            int plaintext = cipher.decryptWithAd(null, buffer, offset, length, buffer, offset);
            plainPos = offset;
            plainLimit = offset + plaintext;
            return 0;
        } catch (AEADBadTagException e) {
            throw channel.failed(new PeerFaultException(
                    "Noise transport frame of " + length + " bytes failed authentication"));
        }
    }
}
