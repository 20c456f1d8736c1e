package org.parley.chat.identity;

import java.nio.charset.StandardCharsets;
import org.parley.libp2p.multiformats.Multihash;

/**
 * The DHT provider key under which a user's devices announce themselves:
 * {@code sha2-256("parley/user/v1" ‖ identity public key)} as a multihash, the same derivation the
 * node uses today for its device key. Whoever knows the ID finds the devices with GET_PROVIDERS;
 * the DHT sees only the hash. Stateless.
 */
public final class ChatRendezvous {

    /** Versions the derivation so a future scheme cannot collide with this one. */
    public static final byte[] DOMAIN = "parley/user/v1".getBytes(StandardCharsets.US_ASCII);

    private ChatRendezvous() {}

    /** The rendezvous key (a sha2-256 multihash) of an identity whose public key is {@code identityPublicKey}. */
    public static byte[] key(byte[] identityPublicKey) {
        byte[] input = new byte[DOMAIN.length + identityPublicKey.length];
        System.arraycopy(DOMAIN, 0, input, 0, DOMAIN.length);
        System.arraycopy(identityPublicKey, 0, input, DOMAIN.length, identityPublicKey.length);
        return Multihash.sha256(input).bytes();
    }

    /**
     * The rendezvous key of a user: over libsignal's serialized identity key
     * ({@code 0x05 ‖ 32 bytes}), the form every Signal implementation writes.
     */
    public static byte[] key(UserId user) {
        return key(user.serializedKey());
    }
}
