package org.parley.node.storage;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 256-bit key that encrypts secrets and message bodies in {@code parley.db}, kept in
 * {@code storage.key}. {@link #close()} zeroes it. Thread safe for reading; closed once, by its owner.
 */
public final class StorageKey implements AutoCloseable {

    /** XChaCha20-Poly1305 takes a 256-bit key. */
    public static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private volatile boolean closed;

    /** Takes ownership of {@code bytes} (exactly {@link #LENGTH} of them). */
    StorageKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a storage key is " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes;
    }

    /** A new random key. */
    public static StorageKey generate() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new StorageKey(bytes);
    }

    /**
     * The key itself, not a copy; valid until {@link #close()}.
     *
     * @throws IllegalStateException once closed, so nothing is ever sealed under the zeroed key
     */
    byte[] bytes() {
        if (closed) {
            throw new IllegalStateException("the storage key is closed: the node is stopping");
        }
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "StorageKey[hidden]";
    }
}
