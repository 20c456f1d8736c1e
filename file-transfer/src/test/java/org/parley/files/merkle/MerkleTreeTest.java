package org.parley.files.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static byte[][] leaves(int n) {
        MessageDigest sha = MerkleTree.sha256();
        byte[][] leaves = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] chunk = ("chunk " + i).getBytes(StandardCharsets.UTF_8);
            leaves[i] = MerkleTree.leafHash(sha, chunk, chunk.length);
        }
        return leaves;
    }

    @Test
    void everyLeafOfTreesOfEverySizeUpToSeventeenVerifies() {
        for (int n = 1; n <= 17; n++) {
            byte[][] leaves = leaves(n);
            MerkleTree tree = MerkleTree.fromLeaves(leaves);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = tree.proof(i);
                assertThat(proof).hasSize(MerkleTree.proofLength(n, i));
                assertThat(MerkleTree.verify(tree.root(), n, i, leaves[i], proof)).as("leaf %d of %d", i, n).isTrue();
            }
        }
    }

    @Test
    void aSingleLeafIsItsOwnRoot() {
        byte[][] leaves = leaves(1);
        assertThat(MerkleTree.fromLeaves(leaves).root()).isEqualTo(leaves[0]);
    }

    @Test
    void theRootOfThreeLeavesPairsTheFirstTwoAndPromotesTheThird() {
        byte[][] l = leaves(3);
        MessageDigest sha = MerkleTree.sha256();
        byte[] expected = MerkleTree.nodeHash(sha, MerkleTree.nodeHash(sha, l[0], l[1]), l[2]);
        assertThat(MerkleTree.fromLeaves(l).root()).isEqualTo(expected);
    }

    @Test
    void leafHashesArePrefixedSoALeafCannotPassForANode() {
        byte[] empty = new byte[0];
        // SHA-256(0x00) — the leaf of an empty chunk; without the prefix it would be SHA-256("").
        assertThat(HexFormat.of().formatHex(MerkleTree.leafHash(MerkleTree.sha256(), empty, 0)))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void aWrongLeafIndexProofOrRootFailsVerification() {
        byte[][] leaves = leaves(9);
        MerkleTree tree = MerkleTree.fromLeaves(leaves);
        List<byte[]> proof = tree.proof(4);
        assertThat(MerkleTree.verify(tree.root(), 9, 4, leaves[5], proof)).isFalse();
        assertThat(MerkleTree.verify(tree.root(), 9, 5, leaves[4], proof)).isFalse();
        List<byte[]> tampered = new ArrayList<>(proof);
        byte[] first = tampered.getFirst().clone();
        first[0] ^= 1;
        tampered.set(0, first);
        assertThat(MerkleTree.verify(tree.root(), 9, 4, leaves[4], tampered)).isFalse();
        assertThat(MerkleTree.verify(tree.root(), 9, 4, leaves[4], proof.subList(0, proof.size() - 1))).isFalse();
        assertThat(MerkleTree.verify(tree.root(), 9, 9, leaves[4], proof)).isFalse();
        assertThat(MerkleTree.verify(tree.root(), 9, -1, leaves[4], proof)).isFalse();
    }

    @Test
    void anEmptyTreeIsRefused() {
        assertThatThrownBy(() -> MerkleTree.fromLeaves(new byte[0][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Merkle tree needs at least one leaf");
    }
}
