package org.parley.files.download;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;
import org.parley.files.protocol.FilesLimits;
import org.parley.libp2p.peer.PeerId;

/**
 * Which piece to ask of which peer, and what each peer has: the download's state machine. It never
 * sees bytes: the peer workers report pieces verified, refused or bad, and ask what to request next.
 *
 * <p>Order: while fewer than {@link FilesLimits#RANDOM_FIRST_PIECES} pieces are verified, a random
 * piece the peer has (so a new leecher soon holds something to trade); then the rarest among the
 * peers; once every missing piece that any peer has is in flight (endgame, for the whole download
 * and not per peer: a peer with few pieces must not duplicate requests while others could still
 * send fresh ones), the same piece again, from at most {@link FilesLimits#MAX_ENDGAME_REQUESTERS}
 * peers, first answer wins, so a slow peer does not hold the tail.
 *
 * <p>Thread safe (one lock); no I/O under it.
 */
final class Swarm {

    private final int pieceCount;
    private final BitSet verified;
    private final int[] availability;
    private final int[] requesters;
    /**
     * The pieces neither verified nor asked of any peer, which a pick outside endgame chooses among.
     * Kept beside {@link #requesters} so that a pick late in a download skips the taken pieces 64 at
     * a time instead of testing each one (the picks were about 4% of a 1 GiB download's CPU samples).
     */
    private final BitSet open;
    private final Map<PeerId, PeerState> peers = new HashMap<>();
    private final RandomGenerator random;
    private long version;

    Swarm(int pieceCount, BitSet alreadyVerified, RandomGenerator random) {
        this.pieceCount = pieceCount;
        this.verified = (BitSet) alreadyVerified.clone();
        this.verified.clear(pieceCount, Math.max(pieceCount, verified.length()));
        this.availability = new int[pieceCount];
        this.requesters = new int[pieceCount];
        this.open = new BitSet(pieceCount);
        this.open.set(0, pieceCount);
        this.open.andNot(verified);
        this.random = random;
    }

    private static final class PeerState {
        final BitSet has;
        final BitSet pending = new BitSet();
        int badPieces;

        PeerState(BitSet has) {
            this.has = has;
        }
    }

    synchronized void addPeer(PeerId peer, BitSet has) {
        removePeer(peer);
        BitSet copy = (BitSet) has.clone();
        copy.clear(pieceCount, Math.max(pieceCount, copy.length()));
        peers.put(peer, new PeerState(copy));
        copy.stream().forEach(i -> availability[i]++);
        changed();
    }

    synchronized void onHave(PeerId peer, int index) {
        PeerState state = peers.get(peer);
        if (state != null && index < pieceCount && !state.has.get(index)) {
            state.has.set(index);
            availability[index]++;
            changed();
        }
    }

    /** The next piece to request from {@code peer} (marked in flight), or -1 if it has nothing we still need. */
    synchronized int pick(PeerId peer) {
        PeerState state = peers.get(peer);
        if (state == null) {
            return -1;
        }
        // Read once: a BitSet counts its bits anew on each call, and this runs under the lock.
        boolean randomPhase = verified.cardinality() < FilesLimits.RANDOM_FIRST_PIECES;
        int index = randomAmongLowest(state, false, randomPhase ? i -> 0 : i -> availability[i], Integer.MAX_VALUE);
        if (index < 0 && inEndgame()) {
            index = randomAmongLowest(state, true, i -> requesters[i], FilesLimits.MAX_ENDGAME_REQUESTERS);
        }
        if (index < 0) {
            return -1;
        }
        state.pending.set(index);
        if (requesters[index]++ == 0) {
            open.clear(index);
        }
        return index;
    }

    /**
     * A piece chosen uniformly among those of lowest {@code score} (below {@code limit}) that the
     * peer has, that are not verified, and that nobody has asked for yet ({@code endgame} false) or
     * this peer has not been asked for ({@code endgame} true); -1 if there is none. Two passes over
     * those pieces, the first to find the lowest score and count its pieces, the second to take the
     * chosen one, so a pick allocates nothing: it runs once for every piece of a download.
     */
    private int randomAmongLowest(PeerState state, boolean endgame, IntUnaryOperator score, int limit) {
        int lowest = limit;
        int ties = 0;
        for (int i = nextEligible(state, endgame, 0); i >= 0; i = nextEligible(state, endgame, i + 1)) {
            int s = score.applyAsInt(i);
            if (s < lowest) {
                lowest = s;
                ties = 1;
            } else if (s == lowest && s < limit) {
                ties++;
            }
        }
        if (ties == 0) {
            return -1;
        }
        int skip = random.nextInt(ties);
        for (int i = nextEligible(state, endgame, 0); i >= 0; i = nextEligible(state, endgame, i + 1)) {
            if (score.applyAsInt(i) == lowest && skip-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("the pieces changed under the swarm's lock");
    }

    /**
     * The first piece from {@code from} on that the peer has, that is not verified, and that nobody
     * has asked for ({@code endgame} false) or this peer has not been asked for ({@code endgame}
     * true); -1 if none. Ascending, so both passes of a pick see the same pieces in the same order.
     */
    private int nextEligible(PeerState state, boolean endgame, int from) {
        if (!endgame) {
            for (int i = open.nextSetBit(from); i >= 0; i = open.nextSetBit(i + 1)) {
                if (state.has.get(i)) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = state.has.nextSetBit(from); i >= 0; i = state.has.nextSetBit(i + 1)) {
            if (!verified.get(i) && !state.pending.get(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether no missing piece that some peer has is still waiting for its first request. */
    private boolean inEndgame() {
        for (int i = open.nextSetBit(0); i >= 0; i = open.nextSetBit(i + 1)) {
            if (availability[i] > 0) {
                return false;
            }
        }
        return true;
    }

    /** Piece {@code index} from {@code peer} is verified and stored; returns false if another peer's copy came first. */
    synchronized boolean onVerified(PeerId peer, int index) {
        release(peer, index);
        if (verified.get(index)) {
            return false;
        }
        verified.set(index);
        open.clear(index);
        changed();
        return true;
    }

    /** The peer will not send piece {@code index} (it lacks it, or could not read it). */
    synchronized void onRefused(PeerId peer, int index) {
        release(peer, index);
        PeerState state = peers.get(peer);
        if (state != null && state.has.get(index)) {
            state.has.clear(index);
            availability[index]--;
        }
        changed();
    }

    /** The peer sent a piece that failed its proof; returns how many it has sent. */
    synchronized int onBadPiece(PeerId peer, int index) {
        release(peer, index);
        PeerState state = peers.get(peer);
        changed();
        return state == null ? 0 : ++state.badPieces;
    }

    /** The peer is gone (dropped, closed, or its worker stopped); its requests go back to the pool. */
    synchronized void removePeer(PeerId peer) {
        PeerState state = peers.remove(peer);
        if (state == null) {
            return;
        }
        state.pending.stream().forEach(this::unrequested);
        state.has.stream().forEach(i -> availability[i]--);
        changed();
    }

    private void release(PeerId peer, int index) {
        PeerState state = peers.get(peer);
        if (state != null && state.pending.get(index)) {
            state.pending.clear(index);
            unrequested(index);
        }
    }

    /** One request for piece {@code index} ended; with none left, an unverified piece is open again. */
    private void unrequested(int index) {
        if (--requesters[index] == 0 && !verified.get(index)) {
            open.set(index);
        }
    }

    /** Counts changes that may give an idle peer something to fetch. */
    synchronized long version() {
        return version;
    }

    /** Waits until {@link #version()} differs from {@code seen}, at most {@code millis}. */
    synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (version == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /** Wakes every idle worker (a piece went back to the pool, or the download stops). */
    synchronized void changed() {
        version++;
        notifyAll();
    }

    /** Whether {@code peer} has any piece not yet verified (in flight or not). */
    synchronized boolean hasMissing(PeerId peer) {
        PeerState state = peers.get(peer);
        if (state == null) {
            return false;
        }
        BitSet missing = (BitSet) state.has.clone();
        missing.andNot(verified);
        return !missing.isEmpty();
    }

    synchronized boolean complete() {
        return verified.cardinality() == pieceCount;
    }

    synchronized int verifiedCount() {
        return verified.cardinality();
    }

    synchronized BitSet verified() {
        return (BitSet) verified.clone();
    }

    synchronized int peerCount() {
        return peers.size();
    }

    synchronized boolean isVerified(int index) {
        return verified.get(index);
    }
}
