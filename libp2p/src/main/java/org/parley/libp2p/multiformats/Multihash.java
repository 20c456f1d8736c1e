package org.parley.libp2p.multiformats;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.parley.libp2p.core.PeerFaultException;

/**
 * A self-describing hash: {@code uvarint(code) ‖ uvarint(length) ‖ digest}. Immutable and thread
 * safe.
 *
 * <p>Only the two functions libp2p uses for PeerIds and DHT keys are computed here (identity and
 * sha2-256); any code is carried through when parsing.
 */
public final class Multihash {

    public static final int IDENTITY = 0x00;
    public static final int SHA2_256 = 0x12;
    /** An identity multihash inlines a key; anything above this is not a key we accept. */
    public static final int MAX_DIGEST_BYTES = 128;

    private final int code;
    private final byte[] digest;
    private final byte[] bytes;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        this.digest = digest;
        byte[] out = new byte[Varint.size(code) + Varint.size(digest.length) + digest.length];
        int offset = Varint.write(code, out, 0);
        offset = Varint.write(digest.length, out, offset);
        System.arraycopy(digest, 0, out, offset, digest.length);
        this.bytes = out;
    }

    public static Multihash identity(byte[] data) {
        if (data.length > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("identity multihash of " + data.length + " bytes exceeds " + MAX_DIGEST_BYTES);
        }
        return new Multihash(IDENTITY, data.clone());
    }

    public static Multihash sha256(byte[] data) {
        return new Multihash(SHA2_256, sha256Digest(data));
    }

    /** SHA-256 through the JDK (SHA-NI on this CPU: faster than libsodium). */
    public static byte[] sha256Digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Parses a whole byte array as one multihash.
     *
     * @throws PeerFaultException if the bytes are not exactly one well-formed multihash
     */
    public static Multihash decode(byte[] bytes) throws PeerFaultException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Multihash mh = read(in);
        if (in.hasRemaining()) {
            throw new PeerFaultException("multihash has " + in.remaining() + " trailing bytes");
        }
        return mh;
    }

    /** Reads one multihash from the buffer, advancing it. */
    public static Multihash read(ByteBuffer in) throws PeerFaultException {
        long code = Varint.read(in);
        long length = Varint.read(in);
        if (code > Integer.MAX_VALUE) {
            throw new PeerFaultException("multihash code " + code + " is out of range");
        }
        if (length > MAX_DIGEST_BYTES) {
            throw new PeerFaultException("multihash digest of " + length + " bytes exceeds " + MAX_DIGEST_BYTES);
        }
        if (length > in.remaining()) {
            throw new PeerFaultException("multihash declares " + length + " digest bytes but " + in.remaining() + " remain");
        }
        if (code == SHA2_256 && length != 32) {
            throw new PeerFaultException("sha2-256 multihash must have 32 digest bytes, got " + length);
        }
        byte[] digest = new byte[(int) length];
        in.get(digest);
        return new Multihash((int) code, digest);
    }

    public int code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** The encoded multihash. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Multihash[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
