package org.parley.dht.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.peer.PeerId;

class LookupPathTest {

    private final TestPeers peers = new TestPeers(31);
    private final PeerRef self = peers.peer();
    private final KadId target = peers.peer().kadId();

    private List<PeerRef> sortedPeers(int n) {
        List<PeerRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(peers.peer());
        }
        out.sort((a, b) -> target.compareDistance(a.kadId(), b.kadId()));
        return out;
    }

    @Test
    void asksTheClosestUnaskedPeersAtMostAlphaAtATime() {
        List<PeerRef> all = sortedPeers(10);
        LookupPath path = new LookupPath(target, 4, 3, self.id(), new HashSet<>());
        path.addCandidates(all.reversed(), 1);
        List<LookupPath.Candidate> first = path.next();
        assertThat(first).extracting(c -> c.peer).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(path.next()).as("alpha in flight").isEmpty();
        path.succeeded(first.get(0));
        assertThat(path.next()).extracting(c -> c.peer).containsExactly(all.get(3));
        assertThat(path.next()).isEmpty();
    }

    @Test
    void finishesWhenTheKClosestLivePeersHaveAnsweredAndReplacesFailures() {
        List<PeerRef> all = sortedPeers(6);
        LookupPath path = new LookupPath(target, 2, 2, self.id(), new HashSet<>());
        path.addCandidates(all, 1);
        List<LookupPath.Candidate> asked = path.next();
        path.failed(asked.get(0));
        path.succeeded(asked.get(1));
        assertThat(path.isFinished()).isFalse();
        List<LookupPath.Candidate> next = path.next();
        assertThat(next).extracting(c -> c.peer).containsExactly(all.get(2));
        path.succeeded(next.get(0));
        assertThat(path.isFinished()).isTrue();
        assertThat(path.next()).isEmpty();
        assertThat(path.closestSucceeded(5)).extracting(c -> c.peer).containsExactly(all.get(1), all.get(2));
    }

    @Test
    void newCloserPeersTakeOverAndSelfIsIgnored() {
        List<PeerRef> all = sortedPeers(6);
        LookupPath path = new LookupPath(target, 2, 1, self.id(), new HashSet<>());
        path.addCandidates(List.of(all.get(5), self), 1);
        LookupPath.Candidate seed = path.next().getFirst();
        path.succeeded(seed);
        path.addCandidates(List.of(all.get(0), all.get(1)), seed.depth + 1);
        LookupPath.Candidate nextOne = path.next().getFirst();
        assertThat(nextOne.peer).isEqualTo(all.get(0));
        assertThat(nextOne.depth).isEqualTo(2);
    }

    @Test
    void disjointPathsNeverAskTheSamePeer() {
        List<PeerRef> all = sortedPeers(8);
        Set<PeerId> claimed = new HashSet<>();
        LookupPath a = new LookupPath(target, 4, 4, self.id(), claimed);
        LookupPath b = new LookupPath(target, 4, 4, self.id(), claimed);
        a.addCandidates(all, 1);
        b.addCandidates(all, 1);
        List<LookupPath.Candidate> askedByA = a.next();
        List<LookupPath.Candidate> askedByB = b.next();
        assertThat(askedByA).extracting(c -> c.peer).containsExactlyElementsOf(all.subList(0, 4));
        assertThat(askedByB).extracting(c -> c.peer).containsExactlyElementsOf(all.subList(4, 8));
    }
}
