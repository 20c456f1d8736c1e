package org.parley.node.identity;

import java.nio.charset.StandardCharsets;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Multihash;

/**
 * The DHT provider key under which a user's devices announce themselves:
 * {@code sha2-256("parley/user/v1" ‖ identity public key)} as a multihash. Whoever knows the
 * user's ID finds the devices with GET_PROVIDERS; the DHT sees only the hash. Stateless.
 */
public final class UserRendezvous {

    /** Versions the derivation so a future scheme cannot collide with this one. */
    public static final byte[] DOMAIN = "parley/user/v1".getBytes(StandardCharsets.US_ASCII);

    private UserRendezvous() {}

    /**
     * The rendezvous key of the identity whose public key has the serialized form
     * {@code identityPublicKey} (the libp2p PublicKey protobuf).
     */
    public static byte[] key(byte[] identityPublicKey) {
        byte[] input = new byte[DOMAIN.length + identityPublicKey.length];
        System.arraycopy(DOMAIN, 0, input, 0, DOMAIN.length);
        System.arraycopy(identityPublicKey, 0, input, DOMAIN.length, identityPublicKey.length);
        return Multihash.sha256(input).bytes();
    }

    /** The rendezvous key of {@code identityKey}, from its libp2p PublicKey protobuf. */
    public static byte[] key(PublicKey identityKey) {
        return key(identityKey.marshal());
    }
}
