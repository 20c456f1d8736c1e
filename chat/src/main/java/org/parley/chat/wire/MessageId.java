package org.parley.chat.wire;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The random 16-byte id of one chat envelope: receipts name it, and duplicates are dropped by it. Immutable. */
public record MessageId(byte[] bytes) {

    /** 128 random bits: no two messages ever share an id by chance. */
    public static final int BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    public MessageId {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a message id is " + BYTES + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A fresh random id. */
    public static MessageId random() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
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
