package org.parley.libp2p.crypto;

/**
 * A peer's public identity key. Immutable and thread safe.
 *
 * <p>Ed25519 is what Parley generates; RSA, secp256k1 and ECDSA keys can be read and verified so
 * that older peers can be authenticated.
 */
public interface PublicKey {

    KeyType type();

    /** The key's {@code Data} bytes in the libp2p encoding (raw 32 bytes for Ed25519, DER for RSA). */
    byte[] raw();

    /** Verifies {@code signature} over {@code data} with this key's libp2p signing rule. */
    boolean verify(byte[] data, byte[] signature);

    /** The deterministic {@code PublicKey} protobuf encoding that PeerIds are derived from. */
    byte[] marshal();
}
