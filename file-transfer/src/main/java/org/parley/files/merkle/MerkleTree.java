package org.parley.files.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary SHA-256 hash tree over a file's ciphertext chunks, whose root the manifest carries.
 * Leaves are {@code SHA-256(0x00 ‖ chunk)}, inner nodes {@code SHA-256(0x01 ‖ left ‖ right)} (the
 * prefixes keep a leaf from passing for an inner node). Each level pairs nodes left to right; an odd
 * last node moves up unchanged (no duplication, so two leaf lists never share a root).
 *
 * <p>SHA-256 from the JDK: with SHA-NI it hashes about 1 GB/s here, six times libsodium's
 * (performance-anchors.md), so hashing never limits a transfer. Immutable once built; thread safe.
 */
public final class MerkleTree {

    /** SHA-256 digest bytes. */
    public static final int HASH_BYTES = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    /** levels.get(0) are the leaves, the last level holds the root alone. */
    private final List<byte[][]> levels;

    private MerkleTree(List<byte[][]> levels) {
        this.levels = levels;
    }

    /** Builds the tree from the leaf hashes ({@link #leafHash}) of chunks 0..n-1; n at least 1. */
    public static MerkleTree fromLeaves(byte[][] leaves) {
        if (leaves.length == 0) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = leaves.clone();
        levels.add(level);
        MessageDigest sha = sha256();
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = 2 * i + 1 < level.length ? nodeHash(sha, level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.add(up);
            level = up;
        }
        return new MerkleTree(levels);
    }

    /** {@code SHA-256(0x00 ‖ chunk[0, len))}. */
    public static byte[] leafHash(MessageDigest sha, byte[] chunk, int len) {
        sha.reset();
        sha.update(LEAF_PREFIX);
        sha.update(chunk, 0, len);
        return sha.digest();
    }

    static byte[] nodeHash(MessageDigest sha, byte[] left, byte[] right) {
        sha.reset();
        sha.update(NODE_PREFIX);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** A fresh SHA-256 digest (not thread safe: one per thread). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    public byte[] root() {
        return levels.getLast()[0].clone();
    }

    public int leafCount() {
        return levels.getFirst().length;
    }

    public byte[] leaf(int index) {
        return levels.getFirst()[index].clone();
    }

    /** The sibling hashes from leaf {@code index} up to the root, lowest first, skipping levels without one. */
    public List<byte[]> proof(int index) {
        if (index < 0 || index >= leafCount()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + leafCount());
        }
        List<byte[]> proof = new ArrayList<>();
        int position = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            byte[][] level = levels.get(l);
            int sibling = position ^ 1;
            if (sibling < level.length) {
                proof.add(level[sibling].clone());
            }
            position >>= 1;
        }
        return proof;
    }

    /**
     * Checks that {@code leaf} is leaf {@code index} of {@code leafCount} under {@code root}: the
     * check a downloader makes before writing a piece.
     */
    public static boolean verify(byte[] root, int leafCount, int index, byte[] leaf, List<byte[]> proof) {
        if (index < 0 || index >= leafCount || proof.size() != proofLength(leafCount, index)) {
            return false;
        }
        MessageDigest sha = sha256();
        byte[] hash = leaf;
        int position = index;
        int width = leafCount;
        int next = 0;
        while (width > 1) {
            int sibling = position ^ 1;
            if (sibling < width) {
                byte[] other = proof.get(next++);
                hash = (position & 1) == 0 ? nodeHash(sha, hash, other) : nodeHash(sha, other, hash);
            }
            position >>= 1;
            width = (width + 1) / 2;
        }
        return MessageDigest.isEqual(hash, root);
    }

    /** How many sibling hashes the proof of leaf {@code index} of {@code leafCount} holds. */
    public static int proofLength(int leafCount, int index) {
        int count = 0;
        int position = index;
        for (int width = leafCount; width > 1; width = (width + 1) / 2) {
            if ((position ^ 1) < width) {
                count++;
            }
            position >>= 1;
        }
        return count;
    }
}
