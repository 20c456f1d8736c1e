package org.parley.libp2p.crypto;

/** A private identity key that signs for a peer. Thread safe. Never logged, never sent. */
public interface PrivateKey {

    KeyType type();

    PublicKey publicKey();

    /** Signs {@code data} with this key type's libp2p signing rule. */
    byte[] sign(byte[] data);

    /** The {@code PrivateKey} protobuf encoding, for the node's 0600 key file only. */
    byte[] marshal();
}
