package org.parley.dht.rpc;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The kad {@code Record}: a value stored under a key, and when the storing node received it
 * (RFC 3339, empty when unknown). Immutable; arrays are copied in and out.
 */
public record KadRecord(byte[] key, byte[] value, String timeReceived) {

    public KadRecord {
        key = key.clone();
        value = value.clone();
        Objects.requireNonNull(timeReceived, "timeReceived");
    }

    public KadRecord(byte[] key, byte[] value) {
        this(key, value, "");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadRecord other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value)
                && timeReceived.equals(other.timeReceived);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KadRecord[key=" + HexFormat.of().formatHex(key) + ", " + value.length + " value bytes, received="
                + timeReceived + "]";
    }
}
