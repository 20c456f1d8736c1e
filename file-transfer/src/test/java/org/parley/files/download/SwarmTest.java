package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/** The piece picker on its own: no bytes, no sockets, a seeded random source. */
class SwarmTest {

    private static final PeerId A = peer();
    private static final PeerId B = peer();
    private static final PeerId C = peer();

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    private static BitSet range(int from, int to) {
        BitSet bits = new BitSet();
        bits.set(from, to);
        return bits;
    }

    @Test
    void afterAFewRandomPiecesTheRarestComeFirst() {
        Swarm swarm = new Swarm(10, new BitSet(), new Random(3));
        swarm.addPeer(A, range(0, 10));
        swarm.addPeer(B, range(0, 10));
        swarm.addPeer(C, range(0, 5)); // pieces 0-4 are on three peers, 5-9 on two
        for (int i = 0; i < 4; i++) {
            int index = swarm.pick(A);
            assertThat(index).isBetween(0, 9);
            assertThat(swarm.onVerified(A, index)).isTrue();
        }
        Set<Integer> next = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            next.add(swarm.pick(A));
        }
        assertThat(next).allSatisfy(index -> assertThat(index).isBetween(5, 9)).hasSize(3);
    }

    @Test
    void inEndgameAPieceInFlightElsewhereIsAskedOfOneMorePeerOnly() {
        Swarm swarm = new Swarm(2, new BitSet(), new Random(1));
        swarm.addPeer(A, range(0, 2));
        swarm.addPeer(B, range(0, 2));
        swarm.addPeer(C, range(0, 2));
        int first = swarm.pick(A);
        int second = swarm.pick(A);
        assertThat(Set.of(first, second)).containsExactlyInAnyOrder(0, 1);
        assertThat(swarm.pick(A)).as("A already asked for both").isEqualTo(-1);
        int duplicate = swarm.pick(B);
        assertThat(duplicate).isIn(0, 1);
        int other = swarm.pick(C);
        assertThat(other).isIn(0, 1).isNotEqualTo(duplicate);
        assertThat(swarm.pick(C)).as("every piece has two requesters").isEqualTo(-1);

        assertThat(swarm.onVerified(B, duplicate)).isTrue();
        assertThat(swarm.onVerified(A, duplicate)).as("the second copy is not new").isFalse();
    }

    @Test
    void noPeerDuplicatesARequestWhileAnotherCouldStillSendAFreshPiece() {
        Swarm swarm = new Swarm(10, new BitSet(), new Random(5));
        swarm.addPeer(A, range(0, 1)); // A and C hold piece 0 only; B holds all ten
        swarm.addPeer(B, range(0, 10));
        swarm.addPeer(C, range(0, 1));
        assertThat(swarm.pick(A)).isZero();
        assertThat(swarm.pick(C)).as("pieces 1-9 still wait for B: not endgame yet").isEqualTo(-1);
        Set<Integer> fromB = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            fromB.add(swarm.pick(B));
        }
        assertThat(fromB).as("B gets each fresh piece once").containsExactlyInAnyOrderElementsOf(range(1, 10).stream().boxed().toList());
        assertThat(swarm.pick(C)).as("every missing piece is in flight: endgame").isZero();
    }

    @Test
    void aRefusedPieceGoesBackToThePoolAndThePeerIsNotAskedAgain() {
        Swarm swarm = new Swarm(1, new BitSet(), new Random(1));
        swarm.addPeer(A, range(0, 1));
        swarm.addPeer(B, range(0, 1));
        assertThat(swarm.pick(A)).isZero();
        long before = swarm.version();
        swarm.onRefused(A, 0);
        assertThat(swarm.version()).isGreaterThan(before);
        assertThat(swarm.pick(A)).isEqualTo(-1);
        assertThat(swarm.pick(B)).isZero();
    }

    @Test
    void aRemovedPeersRequestsReturnToThePool() {
        Swarm swarm = new Swarm(1, new BitSet(), new Random(1));
        swarm.addPeer(A, range(0, 1));
        swarm.addPeer(B, range(0, 1));
        assertThat(swarm.pick(A)).isZero();
        assertThat(swarm.pick(B)).isZero(); // endgame duplicate
        swarm.removePeer(A);
        swarm.removePeer(B);
        swarm.addPeer(C, range(0, 1));
        assertThat(swarm.pick(C)).isZero();
        assertThat(swarm.peerCount()).isEqualTo(1);
    }

    @Test
    void badPiecesAreCountedPerPeer() {
        Swarm swarm = new Swarm(2, new BitSet(), new Random(1));
        swarm.addPeer(A, range(0, 2));
        assertThat(swarm.onBadPiece(A, swarm.pick(A))).isEqualTo(1);
        assertThat(swarm.onBadPiece(A, swarm.pick(A))).isEqualTo(2);
    }

    @Test
    void aBadPieceIsOpenAgainAndAVerifiedOneNeverIs() {
        // Four pieces verified before: past the random first pieces, so the rarest comes first.
        Swarm swarm = new Swarm(7, range(0, 4), new Random(1));
        swarm.addPeer(A, range(4, 7));
        swarm.addPeer(B, range(4, 6));
        swarm.addPeer(C, range(4, 5)); // piece 4 on three peers, 5 on two, 6 on A alone
        assertThat(swarm.pick(A)).isEqualTo(6);
        swarm.onBadPiece(A, 6);
        assertThat(swarm.pick(A)).as("the bad piece is open again, and still the rarest").isEqualTo(6);
        assertThat(swarm.pick(B)).isEqualTo(5);
        assertThat(swarm.onVerified(B, 5)).isTrue();
        assertThat(swarm.pick(C)).isEqualTo(4);
        assertThat(swarm.pick(B)).as("endgame: piece 4 again, from B").isEqualTo(4);
        assertThat(swarm.onVerified(C, 4)).isTrue();
        swarm.onRefused(B, 4); // B's late request ends after the piece was verified
        PeerId d = peer();
        swarm.addPeer(d, range(4, 5));
        assertThat(swarm.pick(d)).as("a verified piece never opens again").isEqualTo(-1);
    }

    @Test
    void piecesAlreadyVerifiedBeforeARestartAreNeverPicked() {
        Swarm swarm = new Swarm(3, range(0, 2), new Random(1));
        swarm.addPeer(A, range(0, 3));
        assertThat(swarm.pick(A)).isEqualTo(2);
        assertThat(swarm.pick(A)).isEqualTo(-1);
        assertThat(swarm.onVerified(A, 2)).isTrue();
        assertThat(swarm.complete()).isTrue();
    }
}
