package org.parley.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class ReachabilityTrackerTest {

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void staysUnknownUntilTheThresholdOfServersAgrees() {
        ReachabilityTracker tracker = new ReachabilityTracker();
        tracker.record(peer(), true);
        tracker.record(peer(), true);
        assertThat(tracker.reachability()).isEqualTo(Reachability.UNKNOWN);
        tracker.record(peer(), true);
        assertThat(tracker.reachability()).isEqualTo(Reachability.PUBLIC);
    }

    @Test
    void oneServerRepeatingItselfCountsOnce() {
        ReachabilityTracker tracker = new ReachabilityTracker();
        PeerId liar = peer();
        for (int i = 0; i < 5; i++) {
            tracker.record(liar, false);
        }
        assertThat(tracker.reachability()).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void becomesPrivateWhenMostServersFailAndTellsListenersOnce() {
        ReachabilityTracker tracker = new ReachabilityTracker();
        List<Reachability> changes = new ArrayList<>();
        tracker.onChange(changes::add);
        PeerId a = peer();
        PeerId b = peer();
        PeerId c = peer();
        tracker.record(a, true);
        tracker.record(b, true);
        tracker.record(c, true);
        tracker.record(a, false);
        tracker.record(b, false);
        assertThat(tracker.reachability()).isEqualTo(Reachability.UNKNOWN);
        tracker.record(peer(), false);
        assertThat(tracker.reachability()).isEqualTo(Reachability.PRIVATE);
        tracker.record(peer(), false);
        assertThat(changes).containsExactly(Reachability.PUBLIC, Reachability.UNKNOWN, Reachability.PRIVATE);
    }

    @Test
    void forgetsTheOldestServersBeyondTheWindow() {
        ReachabilityTracker tracker = new ReachabilityTracker();
        for (int i = 0; i < ReachabilityTracker.RECENT_SERVERS; i++) {
            tracker.record(peer(), false);
        }
        assertThat(tracker.reachability()).isEqualTo(Reachability.PRIVATE);
        for (int i = 0; i < ReachabilityTracker.RECENT_SERVERS; i++) {
            tracker.record(peer(), true);
        }
        assertThat(tracker.reachability()).isEqualTo(Reachability.PUBLIC);
    }
}
