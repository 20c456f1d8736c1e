package org.parley.dht.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.dht.routing.RoutingTable.AddResult;
import org.parley.dht.testing.TestPeers;

class RoutingTableTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final TestPeers peers = new TestPeers(7);
    private final PeerRef self = peers.peer();

    private RoutingTable table(int k, int replacements) {
        return new RoutingTable(self.kadId(), k, replacements, IpDiversityFilter.disabled());
    }

    @Test
    void placesEachPeerInTheBucketOfItsCommonPrefixLength() {
        RoutingTable table = table(20, 5);
        for (int cpl = 0; cpl < 6; cpl++) {
            PeerRef p = peers.peerWithCpl(self.kadId(), cpl);
            assertThat(table.tryAdd(p, T0)).isEqualTo(AddResult.ADDED);
            assertThat(table.bucketSize(cpl)).isEqualTo(1);
            assertThat(table.entries()).anySatisfy(e -> {
                assertThat(e.peer()).isEqualTo(p);
                assertThat(e.bucket()).isEqualTo(self.kadId().commonPrefixLength(p.kadId()));
            });
        }
        assertThat(table.size()).isEqualTo(6);
        assertThat(table.highestNonEmptyBucket()).isEqualTo(5);
    }

    @Test
    void refusesItselfAndRefreshesAKnownPeer() {
        RoutingTable table = table(20, 5);
        PeerRef p = peers.peerWithCpl(self.kadId(), 1);
        assertThat(table.tryAdd(self, T0)).isEqualTo(AddResult.REJECTED_SELF);
        assertThat(table.tryAdd(p, T0)).isEqualTo(AddResult.ADDED);
        assertThat(table.tryAdd(p, T0.plusSeconds(5))).isEqualTo(AddResult.UPDATED);
        assertThat(table.entries().getFirst().lastSeen()).isEqualTo(T0.plusSeconds(5));
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void fullBucketKeepsItsResponsivePeersAndCachesNewcomers() {
        RoutingTable table = table(2, 2);
        PeerRef a = peers.peerWithCpl(self.kadId(), 0);
        PeerRef b = peers.peerWithCpl(self.kadId(), 0);
        PeerRef c = peers.peerWithCpl(self.kadId(), 0);
        table.tryAdd(a, T0);
        table.tryAdd(b, T0);
        assertThat(table.tryAdd(c, T0.plusSeconds(1))).isEqualTo(AddResult.PENDING);
        assertThat(table.peers()).containsExactlyInAnyOrder(a, b);
        assertThat(table.replacements(0)).containsExactly(c);
        // A responsive old peer stays however many newcomers arrive.
        table.markResponsive(a.id(), a.kadId(), T0.plusSeconds(2));
        table.tryAdd(peers.peerWithCpl(self.kadId(), 0), T0.plusSeconds(3));
        table.tryAdd(peers.peerWithCpl(self.kadId(), 0), T0.plusSeconds(3));
        assertThat(table.peers()).containsExactlyInAnyOrder(a, b);
        assertThat(table.replacements(0)).hasSize(2).doesNotContain(c);
    }

    @Test
    void evictsAfterConsecutiveFailuresAndPromotesTheNewestReplacement() {
        RoutingTable table = table(2, 3);
        PeerRef a = peers.peerWithCpl(self.kadId(), 0);
        PeerRef b = peers.peerWithCpl(self.kadId(), 0);
        PeerRef older = peers.peerWithCpl(self.kadId(), 0);
        PeerRef newer = peers.peerWithCpl(self.kadId(), 0);
        table.tryAdd(a, T0);
        table.tryAdd(b, T0);
        table.tryAdd(older, T0);
        table.tryAdd(newer, T0);

        assertThat(table.markFailed(a.id(), a.kadId(), 2, T0)).isFalse();
        table.markResponsive(a.id(), a.kadId(), T0);
        assertThat(table.markFailed(a.id(), a.kadId(), 2, T0)).as("a success resets the count").isFalse();
        assertThat(table.markFailed(a.id(), a.kadId(), 2, T0)).isTrue();

        assertThat(table.peers()).containsExactlyInAnyOrder(b, newer);
        assertThat(table.replacements(0)).containsExactly(older);
        assertThat(table.remove(b.id(), b.kadId(), T0)).isTrue();
        assertThat(table.peers()).containsExactlyInAnyOrder(newer, older);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void closestReturnsTheSameOrderAsSortingTheWholeTable() {
        RoutingTable table = table(20, 0);
        List<PeerRef> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            PeerRef p = peers.peer();
            if (table.tryAdd(p, T0) == AddResult.ADDED) {
                all.add(p);
            }
        }
        for (int t = 0; t < 50; t++) {
            KadId target = peers.peer().kadId();
            List<PeerRef> expected = new ArrayList<>(all);
            expected.sort((x, y) -> target.compareDistance(x.kadId(), y.kadId()));
            assertThat(table.closest(target, 20)).containsExactlyElementsOf(expected.subList(0, 20));
        }
        assertThat(table.closest(self.kadId(), 1000)).hasSize(all.size());
    }

    @Test
    void ipDiversityLimitsPeersPerGroupInABucketAndInTheTable() {
        RoutingTable table = new RoutingTable(self.kadId(), 20, 5, IpDiversityFilter.amino());
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.1.1/tcp/1"), T0)).isEqualTo(AddResult.ADDED);
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.2.2/tcp/1"), T0)).isEqualTo(AddResult.ADDED);
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.3.3/tcp/1"), T0))
                .as("third of 8.8.0.0/16 in one bucket").isEqualTo(AddResult.REJECTED_DIVERSITY);
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 1, "/ip4/8.8.4.4/tcp/1"), T0)).isEqualTo(AddResult.ADDED);
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 2, "/ip4/8.8.5.5/tcp/1"), T0))
                .as("fourth of 8.8.0.0/16 in the table").isEqualTo(AddResult.REJECTED_DIVERSITY);
        assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 2, "/ip4/9.9.5.5/tcp/1"), T0)).isEqualTo(AddResult.ADDED);
        for (int i = 0; i < 5; i++) {
            assertThat(table.tryAdd(peers.peerWithCplAt(self.kadId(), 0, "/ip4/127.0.0.1/tcp/" + (4000 + i)), T0))
                    .as("loopback is exempt").isEqualTo(AddResult.ADDED);
        }
    }

    @Test
    void evictionFreesItsIpGroupSlot() {
        RoutingTable table = new RoutingTable(self.kadId(), 20, 5, IpDiversityFilter.amino());
        PeerRef a = peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.1.1/tcp/1");
        table.tryAdd(a, T0);
        table.tryAdd(peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.2.2/tcp/1"), T0);
        PeerRef third = peers.peerWithCplAt(self.kadId(), 0, "/ip4/8.8.3.3/tcp/1");
        assertThat(table.tryAdd(third, T0)).isEqualTo(AddResult.REJECTED_DIVERSITY);
        table.remove(a.id(), a.kadId(), T0);
        assertThat(table.tryAdd(third, T0)).isEqualTo(AddResult.ADDED);
    }

    @Test
    void aWaitingNewcomerClaimsTheStalestEntryOfItsFullBucketOnceForACheck() {
        RoutingTable table = table(2, 2);
        List<PeerRef> waiting = new ArrayList<>();
        table.setListener(new RoutingTable.Listener() {
            @Override
            public void newcomerWaiting(PeerRef newcomer) {
                waiting.add(newcomer);
            }

            @Override
            public void emptied() {}
        });
        PeerRef a = peers.peerWithCpl(self.kadId(), 0);
        PeerRef b = peers.peerWithCpl(self.kadId(), 0);
        table.tryAdd(a, T0);
        table.tryAdd(b, T0.plusSeconds(60));
        Instant staleBefore = T0.plus(Duration.ofSeconds(90));
        assertThat(table.claimStaleEntries(staleBefore)).as("nobody waits yet").isEmpty();

        PeerRef newcomer = peers.peerWithCpl(self.kadId(), 0);
        assertThat(table.tryAdd(newcomer, T0.plusSeconds(61))).isEqualTo(AddResult.PENDING);
        assertThat(waiting).containsExactly(newcomer);
        assertThat(table.claimStaleEntry(newcomer.kadId(), staleBefore)).as("least recently seen first").contains(a);
        assertThat(table.claimStaleEntry(newcomer.kadId(), staleBefore)).as("a is being checked").contains(b);
        assertThat(table.claimStaleEntry(newcomer.kadId(), staleBefore)).isEmpty();

        table.markResponsive(a.id(), a.kadId(), T0.plusSeconds(120));
        table.endLivenessCheck(b.id(), b.kadId());
        assertThat(table.claimStaleEntries(staleBefore)).as("a answered; b may be checked again").containsExactly(b);
        assertThat(table.claimStaleEntry(peers.peerWithCpl(self.kadId(), 1).kadId(), T0.plusSeconds(200)))
                .as("bucket 1 is not full").isEmpty();
    }

    @Test
    void tellsItsListenerWhenTheLastEntryLeaves() {
        RoutingTable table = table(2, 0);
        int[] emptied = {0};
        table.setListener(new RoutingTable.Listener() {
            @Override
            public void newcomerWaiting(PeerRef newcomer) {}

            @Override
            public void emptied() {
                emptied[0]++;
            }
        });
        PeerRef a = peers.peerWithCpl(self.kadId(), 0);
        PeerRef b = peers.peerWithCpl(self.kadId(), 3);
        table.tryAdd(a, T0);
        table.tryAdd(b, T0);
        assertThat(table.markFailed(a.id(), a.kadId(), 1, T0)).isTrue();
        assertThat(emptied[0]).isZero();
        assertThat(table.remove(b.id(), b.kadId(), T0)).isTrue();
        assertThat(emptied[0]).isEqualTo(1);
        assertThat(table.remove(b.id(), b.kadId(), T0)).isFalse();
        assertThat(emptied[0]).isEqualTo(1);
    }

    @Test
    void aPublicScopeTableKeepsOnlyPublicNonRelayAddressesAndRefusesPeersWithNone() {
        RoutingTable table = new RoutingTable(self.kadId(), 20, 5, IpDiversityFilter.disabled(), AddressScope.PUBLIC);
        PeerRef mixed = new PeerRef(peers.id(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
                Multiaddr.parse("/ip4/192.168.1.7/tcp/4001"), Multiaddr.parse("/ip4/8.8.8.8/tcp/4001"),
                Multiaddr.parse("/ip4/9.9.9.9/tcp/4001/p2p/" + peers.id() + "/p2p-circuit"),
                Multiaddr.parse("/dns4/node.example.com/tcp/4001")));
        assertThat(table.tryAdd(mixed, T0)).isEqualTo(AddResult.ADDED);
        assertThat(table.find(mixed.id()).orElseThrow().addrs()).extracting(Multiaddr::toString)
                .containsExactly("/ip4/8.8.8.8/tcp/4001", "/dns4/node.example.com/tcp/4001");
        PeerRef lan = new PeerRef(peers.id(), List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/4001"),
                Multiaddr.parse("/ip4/8.8.4.4/tcp/4001/p2p/" + peers.id() + "/p2p-circuit")));
        assertThat(table.tryAdd(lan, T0)).isEqualTo(AddResult.REJECTED_ADDRESSES);

        RoutingTable any = table(20, 5);
        assertThat(any.tryAdd(lan, T0)).as("the default scope keeps every address").isEqualTo(AddResult.ADDED);
        assertThat(any.find(lan.id()).orElseThrow()).isEqualTo(lan);
    }
}
