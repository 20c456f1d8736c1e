package org.parley.files.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The random 256-bit key of one shared file: whoever holds it (through the link) can decrypt the
 * file's chunks and its name. Immutable; {@link #bytes()} returns a copy.
 */
public final class FileKey {

    /** ChaCha20-Poly1305 takes a 256-bit key. */
    public static final int BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private FileKey(byte[] key) {
        this.key = key;
    }

    /** A fresh random key, one per shared file. */
    public static FileKey generate() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return new FileKey(key);
    }

    /** Wraps 32 key bytes (copied). */
    public static FileKey of(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a file key has " + BYTES + " bytes, not " + key.length);
        }
        return new FileKey(key.clone());
    }

    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Never prints the key: keys stay out of logs. */
    @Override
    public String toString() {
        return "FileKey[redacted]";
    }
}
