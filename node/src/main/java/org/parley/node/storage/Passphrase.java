package org.parley.node.storage;

import java.util.Arrays;

/**
 * A passphrase as UTF-8 bytes, zeroed by {@link #close()}; never printed ({@link #toString()}
 * hides it). Not thread safe; the creator owns it and closes it after use.
 */
public final class Passphrase implements AutoCloseable {

    private final byte[] bytes;

    /** Takes ownership of {@code bytes}: the caller must not use or zero them afterwards. */
    public Passphrase(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes themselves, not a copy; valid until {@link #close()}. */
    byte[] bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Passphrase[hidden]";
    }
}
