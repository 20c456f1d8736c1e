package org.parley.dht.routing;

import java.util.HexFormat;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/**
 * A point in the 256-bit Kademlia keyspace: SHA-256 of a key's bytes (a binary PeerId, a provider
 * multihash or a record key). Immutable and thread safe.
 *
 * <p>Held as four big-endian 64-bit words, so a distance is four XORs and a comparison is at most
 * four unsigned long comparisons; the simulation computes millions of them.
 */
public final class KadId implements Comparable<KadId> {

    /** The keyspace has 256 bits: the length of a SHA-256 digest. */
    public static final int BITS = 256;
    public static final int BYTES = BITS / 8;

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private KadId(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /** The Kademlia id of any key: SHA-256 of its bytes. */
    public static KadId ofKey(byte[] key) {
        return fromBytes(Multihash.sha256Digest(key));
    }

    /** The Kademlia id of a peer: SHA-256 of its binary PeerId. */
    public static KadId of(PeerId peer) {
        return ofKey(peer.bytes());
    }

    /** Wraps 32 raw bytes that already are a point in the keyspace (no hashing). */
    public static KadId fromBytes(byte[] raw) {
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("a Kademlia id has " + BYTES + " bytes, got " + raw.length);
        }
        return new KadId(word(raw, 0), word(raw, 8), word(raw, 16), word(raw, 24));
    }

    /** The XOR distance to {@code other}, itself a point in the keyspace. */
    public KadId xor(KadId other) {
        return new KadId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2, w3 ^ other.w3);
    }

    /** The number of leading bits this id shares with {@code other} (256 when equal). */
    public int commonPrefixLength(KadId other) {
        long x = w0 ^ other.w0;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        x = w1 ^ other.w1;
        if (x != 0) {
            return 64 + Long.numberOfLeadingZeros(x);
        }
        x = w2 ^ other.w2;
        if (x != 0) {
            return 128 + Long.numberOfLeadingZeros(x);
        }
        x = w3 ^ other.w3;
        return x != 0 ? 192 + Long.numberOfLeadingZeros(x) : BITS;
    }

    /**
     * Compares the distances from this id to {@code a} and to {@code b} without allocating:
     * negative if {@code a} is closer, positive if {@code b} is.
     */
    public int compareDistance(KadId a, KadId b) {
        int c = Long.compareUnsigned(w0 ^ a.w0, w0 ^ b.w0);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w1 ^ a.w1, w1 ^ b.w1);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w2 ^ a.w2, w2 ^ b.w2);
        return c != 0 ? c : Long.compareUnsigned(w3 ^ a.w3, w3 ^ b.w3);
    }

    /** The bit at {@code index}, counting from the most significant bit (0) of the first byte. */
    public boolean bit(int index) {
        if (index < 0 || index >= BITS) {
            throw new IndexOutOfBoundsException("bit " + index + " outside 0.." + (BITS - 1));
        }
        long w = switch (index >>> 6) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
        return ((w >>> (63 - (index & 63))) & 1) != 0;
    }

    /** The same id with bit {@code index} inverted: the far half of the keyspace at that depth. */
    public KadId flipBit(int index) {
        if (index < 0 || index >= BITS) {
            throw new IndexOutOfBoundsException("bit " + index + " outside 0.." + (BITS - 1));
        }
        long mask = 1L << (63 - (index & 63));
        return switch (index >>> 6) {
            case 0 -> new KadId(w0 ^ mask, w1, w2, w3);
            case 1 -> new KadId(w0, w1 ^ mask, w2, w3);
            case 2 -> new KadId(w0, w1, w2 ^ mask, w3);
            default -> new KadId(w0, w1, w2, w3 ^ mask);
        };
    }

    public byte[] bytes() {
        byte[] out = new byte[BYTES];
        putWord(out, 0, w0);
        putWord(out, 8, w1);
        putWord(out, 16, w2);
        putWord(out, 24, w3);
        return out;
    }

    /** Orders ids as unsigned 256-bit integers, the order of distances when this id is a distance. */
    @Override
    public int compareTo(KadId o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w1, o.w1);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(w2, o.w2);
        return c != 0 ? c : Long.compareUnsigned(w3, o.w3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadId other && w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0 ^ w3);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes());
    }

    private static long word(byte[] b, int offset) {
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = (w << 8) | (b[offset + i] & 0xFF);
        }
        return w;
    }

    private static void putWord(byte[] out, int offset, long w) {
        for (int i = 7; i >= 0; i--) {
            out[offset + i] = (byte) w;
            w >>>= 8;
        }
    }
}
