package org.parley.libp2p.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An Ed25519 private key, held in libsodium's 64-byte {@code seed ‖ public} layout, which is
 * also the libp2p {@code PrivateKey.Data} encoding. Immutable and thread safe; never logged.
 */
public final class Ed25519PrivateKey implements PrivateKey {

    public static final int SEED_BYTES = 32;
    public static final int SECRET_KEY_BYTES = 64;
    /** An old encoding repeated the public key: {@code seed ‖ public ‖ public}. */
    static final int LEGACY_SECRET_KEY_BYTES = 96;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secretKey;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] secretKey, byte[] publicKey) {
        this.secretKey = secretKey;
        this.publicKey = new Ed25519PublicKey(publicKey);
    }

    /** A fresh random key. */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        try {
            return fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The key whose 32-byte seed (RFC 8032 private key) is {@code seed}. */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("Ed25519 seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        byte[] pk = new byte[Ed25519PublicKey.KEY_BYTES];
        byte[] sk = new byte[SECRET_KEY_BYTES];
        if (!Sodium.get().cryptoSignSeedKeypair(pk, sk, seed)) {
            throw new IllegalStateException("libsodium failed to derive an Ed25519 key pair");
        }
        return new Ed25519PrivateKey(sk, pk);
    }

    /**
     * Reads the libp2p {@code Data} bytes: 64 bytes {@code seed ‖ public}, or the legacy 96 bytes
     * whose two public copies must match. The stored public half must match the seed.
     */
    public static Ed25519PrivateKey fromData(byte[] data) {
        if (data.length == LEGACY_SECRET_KEY_BYTES) {
            if (!Arrays.equals(data, 32, 64, data, 64, 96)) {
                throw new IllegalArgumentException("legacy 96-byte Ed25519 key has two different public halves");
            }
        } else if (data.length != SECRET_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "Ed25519 private key must be " + SECRET_KEY_BYTES + " bytes, got " + data.length);
        }
        byte[] seed = Arrays.copyOf(data, SEED_BYTES);
        Ed25519PrivateKey key;
        try {
            key = fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        if (!Arrays.equals(data, SEED_BYTES, SECRET_KEY_BYTES, key.publicKey.raw(), 0, Ed25519PublicKey.KEY_BYTES)) {
            throw new IllegalArgumentException("Ed25519 private key's public half does not match its seed");
        }
        return key;
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** The 32-byte seed; handle with care. */
    public byte[] seed() {
        return Arrays.copyOf(secretKey, SEED_BYTES);
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] signature = new byte[Ed25519PublicKey.SIGNATURE_BYTES];
        if (!Sodium.get().cryptoSignDetached(signature, data, data.length, secretKey)) {
            throw new IllegalStateException("libsodium failed to sign");
        }
        return signature;
    }

    @Override
    public byte[] marshal() {
        return Keys.marshalPrivate(KeyType.ED25519, secretKey);
    }

    /** Equal when the keys are the same; compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PrivateKey other && MessageDigest.isEqual(secretKey, other.secretKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "Ed25519PrivateKey[public=" + publicKey + "]";
    }
}
