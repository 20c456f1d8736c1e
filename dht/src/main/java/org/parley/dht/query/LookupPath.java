package org.parley.dht.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.peer.PeerId;

/**
 * The state of one iterative lookup path: every peer heard of, ordered by distance to the target,
 * and which were asked, answered or failed. Pure logic, no I/O. Not thread safe: the
 * {@link Lookup} driver calls it from its one loop thread.
 *
 * <p>The path asks the closest peers it has not asked yet, at most {@code alpha} at a time, and only
 * among the {@code k} closest that have not failed: a peer further out cannot change the result.
 * It is finished when those k closest have all answered, or when nobody is left to ask.
 *
 * <p>With S/Kademlia disjoint paths, several paths share one {@code claimed} set, so that each peer
 * is asked by at most one path; a peer claimed by another path counts, for this one, as failed.
 */
final class LookupPath {

    enum State { HEARD, WAITING, SUCCEEDED, FAILED, CLAIMED_ELSEWHERE }

    /** A peer the path has heard of. */
    static final class Candidate {
        final PeerRef peer;
        /** How many answers led here: 1 for a peer from our own routing table. */
        final int depth;
        State state = State.HEARD;

        Candidate(PeerRef peer, int depth) {
            this.peer = peer;
            this.depth = depth;
        }
    }

    private final KadId target;
    private final int k;
    private final int alpha;
    private final PeerId self;
    private final Set<PeerId> claimed;
    private final Map<PeerId, Candidate> known = new HashMap<>();
    private final TreeSet<Candidate> byDistance;
    private int inFlight;

    LookupPath(KadId target, int k, int alpha, PeerId self, Set<PeerId> claimed) {
        this.target = target;
        this.k = k;
        this.alpha = alpha;
        this.self = self;
        this.claimed = claimed;
        this.byDistance = new TreeSet<>((a, b) -> {
            int c = target.compareDistance(a.peer.kadId(), b.peer.kadId());
            return c != 0 ? c : a.peer.id().compareTo(b.peer.id());
        });
    }

    /** Adds peers heard of at {@code depth}; ones already known keep their first depth. */
    void addCandidates(Collection<PeerRef> peers, int depth) {
        for (PeerRef p : peers) {
            if (p.id().equals(self) || known.containsKey(p.id())) {
                continue;
            }
            Candidate c = new Candidate(p, depth);
            known.put(p.id(), c);
            byDistance.add(c);
        }
    }

    /**
     * The candidates to ask now, marked as waiting and claimed; empty if the path must wait for
     * answers or is finished.
     */
    List<Candidate> next() {
        List<Candidate> out = new ArrayList<>();
        int seen = 0;
        for (Candidate c : byDistance) {
            if (seen >= k || inFlight >= alpha) {
                break;
            }
            if (c.state == State.HEARD && !claimed.add(c.peer.id())) {
                c.state = State.CLAIMED_ELSEWHERE;
            }
            switch (c.state) {
                case HEARD -> {
                    c.state = State.WAITING;
                    inFlight++;
                    out.add(c);
                    seen++;
                }
                case WAITING, SUCCEEDED -> seen++;
                case FAILED, CLAIMED_ELSEWHERE -> { }
            }
        }
        return out;
    }

    void succeeded(Candidate c) {
        finishRequest(c, State.SUCCEEDED);
    }

    void failed(Candidate c) {
        finishRequest(c, State.FAILED);
    }

    /** True when the k closest live candidates have all answered, or nobody is left to ask. */
    boolean isFinished() {
        if (inFlight > 0) {
            return false;
        }
        int seen = 0;
        for (Candidate c : byDistance) {
            if (seen >= k) {
                break;
            }
            switch (c.state) {
                case SUCCEEDED -> seen++;
                case HEARD -> {
                    if (!claimed.contains(c.peer.id())) {
                        return false;
                    }
                    c.state = State.CLAIMED_ELSEWHERE;
                }
                case WAITING -> {
                    return false;
                }
                case FAILED, CLAIMED_ELSEWHERE -> { }
            }
        }
        return true;
    }

    int inFlight() {
        return inFlight;
    }

    /** The {@code n} closest candidates that answered, closest first. */
    List<Candidate> closestSucceeded(int n) {
        List<Candidate> out = new ArrayList<>(n);
        for (Candidate c : byDistance) {
            if (out.size() >= n) {
                break;
            }
            if (c.state == State.SUCCEEDED) {
                out.add(c);
            }
        }
        return out;
    }

    KadId target() {
        return target;
    }

    private void finishRequest(Candidate c, State state) {
        if (c.state != State.WAITING) {
            throw new IllegalStateException("candidate " + c.peer.id() + " is " + c.state + ", not WAITING");
        }
        c.state = state;
        inFlight--;
    }
}
