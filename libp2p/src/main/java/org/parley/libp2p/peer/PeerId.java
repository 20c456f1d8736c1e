package org.parley.libp2p.peer;

import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.multiformats.Varint;

/**
 * A peer's identity: the multihash of its serialized public key. Immutable, compared by bytes.
 *
 * <p>Keys of at most {@value #MAX_INLINE_KEY_BYTES} bytes (Ed25519, secp256k1) are inlined in an
 * identity multihash, so the key can be recovered from the id; larger ones (RSA, ECDSA) are hashed.
 * Text forms: base58btc of the multihash ({@code 12D3KooW...}), or a CIDv1 with the libp2p-key
 * codec in multibase ({@code bafz...}).
 */
public final class PeerId implements Comparable<PeerId> {

    /** peer-ids.md: keys up to 42 serialized bytes use the identity multihash. */
    public static final int MAX_INLINE_KEY_BYTES = 42;
    /** The multicodec of a CID that names a libp2p key. */
    public static final int LIBP2P_KEY_CODEC = 0x72;
    private static final int CID_VERSION_1 = 1;
    /**
     * The longest text {@link #parse} reads. A PeerId is at most a 131-byte multihash (a 128-byte
     * identity digest), whose longest text form (base16 CID) is 267 characters; decoding base58 costs
     * time quadratic in the length, so longer text is refused before it is decoded.
     */
    public static final int MAX_TEXT_LENGTH = 512;

    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] marshalled = key.marshal();
        Multihash mh = marshalled.length <= MAX_INLINE_KEY_BYTES
                ? Multihash.identity(marshalled)
                : Multihash.sha256(marshalled);
        return new PeerId(mh.bytes());
    }

    /**
     * Reads a binary PeerId (a multihash), as carried in {@code /p2p/} and kad messages.
     *
     * @throws PeerFaultException if the bytes are not an identity or sha2-256 multihash, or an
     *     identity multihash inlines more than {@link #MAX_INLINE_KEY_BYTES} bytes (a longer key is
     *     hashed, so no valid PeerId has such a digest; rust-libp2p refuses it too)
     */
    public static PeerId fromBytes(byte[] bytes) throws PeerFaultException {
        Multihash mh = Multihash.decode(bytes);
        if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
            throw new PeerFaultException("PeerId multihash must be identity or sha2-256, got code 0x"
                    + Integer.toHexString(mh.code()));
        }
        if (mh.code() == Multihash.IDENTITY && mh.digest().length > MAX_INLINE_KEY_BYTES) {
            throw new PeerFaultException("PeerId identity multihash inlines " + mh.digest().length
                    + " bytes; keys over " + MAX_INLINE_KEY_BYTES + " bytes are hashed with sha2-256");
        }
        return new PeerId(bytes.clone());
    }

    /**
     * Parses either text form: base58btc ({@code 1...}, {@code Qm...}) or a CIDv1 libp2p-key in any
     * supported multibase.
     *
     * @throws IllegalArgumentException with a message naming what was wrong, for example text longer
     *     than {@link #MAX_TEXT_LENGTH}
     */
    public static PeerId parse(String text) {
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("PeerId text of " + text.length() + " characters exceeds the "
                    + MAX_TEXT_LENGTH + "-character limit");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty PeerId");
        }
        try {
            if (s.startsWith("1") || s.startsWith("Qm")) {
                return fromBytes(Base58.decode(s));
            }
            byte[] cid = Multibase.decode(s);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(cid);
            long version = Varint.read(in);
            long codec = Varint.read(in);
            if (version != CID_VERSION_1 || codec != LIBP2P_KEY_CODEC) {
                throw new IllegalArgumentException("CID is version " + version + " codec 0x" + Long.toHexString(codec)
                        + "; a PeerId CID must be version 1 with codec libp2p-key (0x72)");
            }
            byte[] mh = new byte[in.remaining()];
            in.get(mh);
            return fromBytes(mh);
        } catch (PeerFaultException e) {
            throw new IllegalArgumentException("not a valid PeerId '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The binary form: the multihash. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The public key inlined in an identity-multihash id, or null for hashed (RSA/ECDSA) ids. */
    public PublicKey inlinedPublicKey() {
        try {
            Multihash mh = Multihash.decode(bytes);
            return mh.code() == Multihash.IDENTITY ? Keys.unmarshalPublic(mh.digest()) : null;
        } catch (PeerFaultException | InvalidKeyException e) {
            return null;
        }
    }

    /** True if {@code key} is the key this id was derived from. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    /** The base58btc form, {@code 12D3KooW...} for Ed25519. */
    public String toBase58() {
        return Base58.encode(bytes);
    }

    /** The CIDv1 form in base32, {@code bafz...}. */
    public String toCid() {
        byte[] cid = new byte[2 + bytes.length];
        cid[0] = CID_VERSION_1;
        cid[1] = LIBP2P_KEY_CODEC;
        System.arraycopy(bytes, 0, cid, 2, bytes.length);
        return Multibase.encodeBase32(cid);
    }

    @Override
    public String toString() {
        return toBase58();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(PeerId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
