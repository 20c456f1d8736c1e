package org.parley.dht.testing;

import java.util.List;
import java.util.Random;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.DhtSimulation;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** Deterministic PeerIds and peers for tests: Ed25519-shaped ids from a seeded source. */
public final class TestPeers {

    private final Random random;
    private int next;

    public TestPeers(long seed) {
        this.random = new Random(seed);
    }

    public PeerId id() {
        return DhtSimulation.randomPeerId(random);
    }

    /** A peer with a distinct loopback address. */
    public PeerRef peer() {
        int n = ++next;
        return new PeerRef(id(), List.of(Multiaddr.parse("/ip4/127.0." + (n >>> 8) + "." + (n & 0xFF) + "/tcp/4001")));
    }

    /** A peer with the given public address. */
    public PeerRef peerAt(String multiaddr) {
        return new PeerRef(id(), List.of(Multiaddr.parse(multiaddr)));
    }

    /** A peer whose id shares exactly {@code cpl} leading bits with {@code self}. */
    public PeerRef peerWithCpl(KadId self, int cpl) {
        while (true) {
            PeerRef p = peer();
            if (self.commonPrefixLength(p.kadId()) == cpl) {
                return p;
            }
        }
    }

    /** Like {@link #peerWithCpl} with a given address. */
    public PeerRef peerWithCplAt(KadId self, int cpl, String multiaddr) {
        while (true) {
            PeerRef p = peerAt(multiaddr);
            if (self.commonPrefixLength(p.kadId()) == cpl) {
                return p;
            }
        }
    }
}
