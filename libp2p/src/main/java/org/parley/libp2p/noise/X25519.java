package org.parley.libp2p.noise;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Sodium;

/**
 * X25519 key pairs and Diffie-Hellman for Noise's {@code 25519} DH functions, through libsodium.
 * Thread safe (stateless).
 */
final class X25519 {

    static final int KEY_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private X25519() {}

    /** A private scalar and its public point. Holds key material: never logged. */
    static final class KeyPair {
        private final byte[] privateKey;
        private final byte[] publicKey;

        private KeyPair(byte[] privateKey, byte[] publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        byte[] publicKey() {
            return publicKey.clone();
        }

        /** Overwrites the private scalar. */
        void destroy() {
            Arrays.fill(privateKey, (byte) 0);
        }

        @Override
        public String toString() {
            return "X25519.KeyPair[public]";
        }
    }

    /** A fresh random key pair. */
    static KeyPair generate() {
        byte[] sk = new byte[KEY_BYTES];
        RANDOM.nextBytes(sk);
        return fromPrivate(sk);
    }

    /** The key pair of a given private scalar (libsodium clamps it); for fixed test vectors. */
    static KeyPair fromPrivate(byte[] privateKey) {
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be " + KEY_BYTES + " bytes, got " + privateKey.length);
        }
        byte[] sk = privateKey.clone();
        byte[] pk = new byte[KEY_BYTES];
        if (Sodium.get().getSodium().crypto_scalarmult_base(pk, sk) != 0) {
            throw new IllegalStateException("libsodium refused to derive an X25519 public key");
        }
        return new KeyPair(sk, pk);
    }

    /**
     * DH(ours, theirs). A low-order remote point gives an all-zero secret, which would let an
     * attacker fix the key: that fails the handshake.
     *
     * @throws PeerFaultException if the shared secret is all zero
     */
    static byte[] dh(KeyPair ours, byte[] theirPublic) throws PeerFaultException {
        if (theirPublic.length != KEY_BYTES) {
            throw new PeerFaultException("X25519 public key must be " + KEY_BYTES + " bytes, got " + theirPublic.length);
        }
        byte[] shared = new byte[KEY_BYTES];
        int rc = Sodium.get().getSodium().crypto_scalarmult(shared, ours.privateKey, theirPublic);
        if (rc != 0 || MessageDigest.isEqual(shared, new byte[KEY_BYTES])) {
            throw new PeerFaultException("remote X25519 key is a low-order point (all-zero shared secret)");
        }
        return shared;
    }
}
