package org.parley.chat.wire;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The 16-byte id of a conversation (pairwise or, later, a group); the node chooses how it is derived. Immutable. */
public record ConversationId(byte[] bytes) {

    /** 128 bits: random ids never collide, and a derived id truncated to 16 bytes stays collision-free. */
    public static final int BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    public ConversationId {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a conversation id is " + BYTES + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A fresh random id. */
    public static ConversationId random() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return new ConversationId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConversationId m && Arrays.equals(bytes, m.bytes);
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
