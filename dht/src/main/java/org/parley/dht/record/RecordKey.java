package org.parley.dht.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/**
 * Parses and builds DHT record keys of the form {@code /<namespace>/<rest>}, where {@code rest} is
 * raw bytes (often a binary PeerId, which may itself contain {@code /}). Stateless.
 */
public final class RecordKey {

    private static final byte SLASH = '/';
    /** Namespaces are short ASCII words (pk, ipns, parley); a long one is not a namespace. */
    public static final int MAX_NAMESPACE_LENGTH = 32;

    private RecordKey() {}

    /**
     * The namespace of {@code key}: the bytes between the leading {@code /} and the next one.
     *
     * @throws InvalidRecordException if the key has no {@code /<namespace>/} prefix
     */
    public static String namespace(byte[] key) throws InvalidRecordException {
        if (key.length < 2 || key[0] != SLASH) {
            throw new InvalidRecordException("record key must start with /<namespace>/");
        }
        for (int i = 1; i < key.length && i <= MAX_NAMESPACE_LENGTH + 1; i++) {
            if (key[i] == SLASH) {
                if (i == 1) {
                    break;
                }
                return new String(key, 1, i - 1, StandardCharsets.US_ASCII);
            }
        }
        throw new InvalidRecordException("record key must start with /<namespace>/ of 1 to "
                + MAX_NAMESPACE_LENGTH + " characters");
    }

    /**
     * The bytes after {@code /<namespace>/}.
     *
     * @throws InvalidRecordException if {@code key} is not in {@code namespace} (validators may be
     *     called directly, not only through the namespace dispatch)
     */
    static byte[] rest(byte[] key, String namespace) throws InvalidRecordException {
        String actual = namespace(key);
        if (!actual.equals(namespace)) {
            throw new InvalidRecordException(
                    "record key is in namespace '" + actual + "', expected '" + namespace + "'");
        }
        int offset = namespace.length() + 2;
        byte[] rest = new byte[key.length - offset];
        System.arraycopy(key, offset, rest, 0, rest.length);
        return rest;
    }

    /** {@code /<namespace>/} followed by {@code rest}. */
    static byte[] of(String namespace, byte[]... rest) {
        byte[] ns = namespace.getBytes(StandardCharsets.US_ASCII);
        int length = ns.length + 2;
        for (byte[] part : rest) {
            length += part.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(SLASH).put(ns).put(SLASH);
        for (byte[] part : rest) {
            out.put(part);
        }
        return out.array();
    }

    /** Reads a binary PeerId (a multihash, self-delimiting) from the start of {@code buf}. */
    static PeerId readPeerId(ByteBuffer buf) throws InvalidRecordException {
        try {
            Multihash mh = Multihash.read(buf);
            return PeerId.fromBytes(mh.bytes());
        } catch (PeerFaultException e) {
            throw new InvalidRecordException("record key does not hold a valid binary PeerId: " + e.getMessage(), e);
        }
    }
}
