package org.parley.files.manifest;

import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;

/**
 * A file's identity: the SHA-256 multihash of its encoded manifest. It is the DHT provider key,
 * and its text form ({@code b...}, base32 multibase) is the link's {@code urn:parley:} value.
 * Immutable.
 */
public record FileId(Multihash multihash) {

    public FileId {
        if (multihash.code() != Multihash.SHA2_256) {
            throw new IllegalArgumentException("a file id is a sha2-256 multihash, not code " + multihash.code());
        }
    }

    /** The id of the manifest encoded as {@code manifestBytes}. */
    public static FileId ofManifest(byte[] manifestBytes) {
        return new FileId(Multihash.sha256(manifestBytes));
    }

    /**
     * Parses the multihash bytes of a file id (from the wire).
     *
     * @throws PeerFaultException if they are not a sha2-256 multihash
     */
    public static FileId fromBytes(byte[] bytes) throws PeerFaultException {
        Multihash mh = Multihash.decode(bytes);
        if (mh.code() != Multihash.SHA2_256) {
            throw new PeerFaultException("a file id is a sha2-256 multihash, not code 0x" + Integer.toHexString(mh.code()));
        }
        return new FileId(mh);
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static FileId parse(String text) {
        if (text.isEmpty() || text.charAt(0) != 'b') {
            throw new IllegalArgumentException("a file id is base32 text starting with 'b'");
        }
        byte[] bytes = Multibase.decode(text);
        try {
            return fromBytes(bytes);
        } catch (PeerFaultException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The bytes the DHT uses as the provider key. */
    public byte[] bytes() {
        return multihash.bytes();
    }

    /** Base32 multibase text, lowercase: safe in a URI without escaping. */
    @Override
    public String toString() {
        return Multibase.encodeBase32(multihash.bytes());
    }
}
