package org.parley.journal.entry;

import java.util.Arrays;
import org.parley.libp2p.crypto.Aead;

/**
 * One generation of the user's history key: the ChaCha20-Poly1305 key every device of the user
 * seals journal payloads with, and its id, which entries carry so that a device can open entries
 * sealed before a rotation. Holds a copy of the key; never logged.
 */
public final class HistoryKey {

    private final int id;
    private final byte[] key;

    public HistoryKey(int id, byte[] key) {
        if (key.length != Aead.KEY_BYTES) {
            throw new IllegalArgumentException("a history key has " + Aead.KEY_BYTES + " bytes, not " + key.length);
        }
        this.id = id;
        this.key = key.clone();
    }

    public int id() {
        return id;
    }

    /** A copy of the key bytes. */
    byte[] keyBytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "HistoryKey[id=" + id + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryKey other && other.id == id && Arrays.equals(other.key, key);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }
}
