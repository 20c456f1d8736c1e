package org.parley.chat.group;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * A group operation with its author's signature, and the exact bytes it travels as: the chain
 * hashes those bytes, so a member never re-encodes an operation it received. Immutable.
 */
public final class SignedGroupOp {

    private final GroupOp op;
    private final byte[] opBytes;
    private final byte[] signature;
    private final byte[] encoded;
    private final byte[] hash;

    SignedGroupOp(GroupOp op, byte[] opBytes, byte[] signature, byte[] encoded) {
        this.op = Objects.requireNonNull(op, "op");
        this.opBytes = opBytes.clone();
        this.signature = signature.clone();
        this.encoded = encoded.clone();
        this.hash = sha256(encoded);
    }

    /** Signs {@code op} with {@code author}'s identity key, which must be the key of {@code op.author()}. */
    public static SignedGroupOp sign(GroupOp op, IdentityKeyPair author) {
        if (!org.parley.chat.identity.UserId.of(author.getPublicKey()).equals(op.author())) {
            throw new IllegalArgumentException("an operation is signed by its own author's key");
        }
        byte[] opBytes = GroupOpCodec.encodeOp(op);
        byte[] signature = author.getPrivateKey().calculateSignature(opBytes);
        return new SignedGroupOp(op, opBytes, signature, GroupOpCodec.encodeSigned(opBytes, signature));
    }

    public GroupOp op() {
        return op;
    }

    /** The bytes this operation travels and is stored as. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** SHA-256 of {@link #encoded()}: what the next operation names as its previous. */
    public byte[] hash() {
        return hash.clone();
    }

    /** Whether the signature is the author's over the operation's bytes. */
    public boolean signatureVerifies() {
        return op.author().identityKey().getPublicKey().verifySignature(opBytes, signature);
    }

    boolean hashEquals(byte[] other) {
        return MessageDigest.isEqual(hash, other);
    }

    /** Orders competing operations: unsigned comparison of their hashes. */
    int compareHash(SignedGroupOp other) {
        return Arrays.compareUnsigned(hash, other.hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedGroupOp s && Arrays.equals(encoded, s.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return op.action().getClass().getSimpleName() + " by " + op.author() + " #"
                + java.util.HexFormat.of().formatHex(hash, 0, 4);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
