package org.parley.chat.wire;

import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Pads an encoded envelope to a fixed size bucket before encryption, so the ciphertext length
 * tells an observer only the bucket, and removes the padding after decryption. Stateless.
 *
 * <pre>
 *   padded = plaintext ‖ 0x80 ‖ 0x00*      total length = the smallest bucket > plaintext length
 * </pre>
 *
 * The 0x80 marker (ISO/IEC 7816-4) makes the padding unambiguous whatever the plaintext ends with:
 * the last non-zero byte is always the marker.
 */
public final class Padding {

    /**
     * The buckets, in bytes. 256 holds a short text or a receipt; each next one is four times
     * larger, so padding costs at most 4x in bytes and length leaks at most log4 of the size.
     */
    public static final int[] BUCKETS = {256, 1024, 4096, 16 * 1024, 64 * 1024};

    /** The largest bucket: no padded envelope is larger. */
    public static final int MAX_PADDED_BYTES = BUCKETS[BUCKETS.length - 1];

    /** The largest plaintext that fits: one byte of the largest bucket goes to the marker. */
    public static final int MAX_PLAINTEXT_BYTES = MAX_PADDED_BYTES - 1;

    private static final byte MARKER = (byte) 0x80;

    private Padding() {}

    /** The bucket a plaintext of {@code length} bytes is padded to. */
    public static int bucketFor(int length) {
        for (int bucket : BUCKETS) {
            if (length < bucket) {
                return bucket;
            }
        }
        throw new IllegalArgumentException("a plaintext of " + length + " bytes exceeds the "
                + MAX_PLAINTEXT_BYTES + "-byte limit of the largest padding bucket");
    }

    /**
     * Pads {@code plaintext} to its bucket.
     *
     * @throws IllegalArgumentException if it is longer than {@link #MAX_PLAINTEXT_BYTES}
     */
    public static byte[] pad(byte[] plaintext) {
        byte[] out = Arrays.copyOf(plaintext, bucketFor(plaintext.length));
        out[plaintext.length] = MARKER;
        return out;
    }

    /**
     * Removes the padding.
     *
     * @throws PeerFaultException if the length is not a bucket or there is no 0x80 marker after the
     *     trailing zeros
     */
    public static byte[] unpad(byte[] padded) throws PeerFaultException {
        if (Arrays.binarySearch(BUCKETS, padded.length) < 0) {
            throw new PeerFaultException("padded plaintext of " + padded.length
                    + " bytes is not one of the bucket sizes " + Arrays.toString(BUCKETS));
        }
        int i = padded.length - 1;
        while (i >= 0 && padded[i] == 0) {
            i--;
        }
        if (i < 0 || padded[i] != MARKER) {
            throw new PeerFaultException("padded plaintext of " + padded.length
                    + " bytes lacks the 0x80 marker before its zero padding");
        }
        return Arrays.copyOf(padded, i);
    }
}
