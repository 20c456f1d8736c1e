package org.parley.libp2p.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/** An Ed25519 public key: 32 raw bytes, RFC 8032 pure signatures (through libsodium). Immutable, thread safe. */
public final class Ed25519PublicKey implements PublicKey {

    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private final byte[] key;

    public Ed25519PublicKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "Ed25519 public key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public byte[] raw() {
        return key.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        return Sodium.get().cryptoSignVerifyDetached(signature, data, data.length, key);
    }

    @Override
    public byte[] marshal() {
        return Keys.marshalPublic(KeyType.ED25519, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + HexFormat.of().formatHex(key) + "]";
    }
}
