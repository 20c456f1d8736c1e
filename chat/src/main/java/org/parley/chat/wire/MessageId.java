package org.parley.chat.wire;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 16-byte id of one chat envelope: receipts name it, and duplicates are dropped by it. A new
 * one ({@link #next}) is the time in milliseconds (6 bytes, big-endian) and 80 random bits, so ids
 * made later sort later. Receivers treat it as opaque bytes. Immutable.
 */
public record MessageId(byte[] bytes) {

    /** 6 bytes of time and 10 random: no two messages ever share an id by chance. */
    public static final int BYTES = 16;

    /** The leading bytes that hold the time in milliseconds: enough until the year 10889. */
    static final int TIME_BYTES = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    public MessageId {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a message id is " + BYTES + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * A new id: now in milliseconds, then 80 random bits. Time first, because every store keys its
     * messages by id (to drop duplicates and to find what a receipt names): ids that grow with time
     * land at the end of that index, so a commit of a few messages rewrites one index page, not one
     * random page per message. The time shows only to whoever can decrypt the envelope, which
     * carries its clock time anyway.
     */
    public static MessageId next() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        long now = System.currentTimeMillis();
        for (int i = TIME_BYTES - 1; i >= 0; i--) {
            b[i] = (byte) now;
            now >>>= 8;
        }
        return new MessageId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
