package org.parley.dht.routing;

import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;

/**
 * Which peer addresses the DHT stores, follows and hands out. Parley's private networks and
 * loopback tests use every address ({@link #ALL}); on the public DHT, Amino keeps only public,
 * non-relay ones ({@link #PUBLIC}): another peer's LAN or loopback address is useless to the
 * asker and leaks the layout of a private network, and a relay address says nothing about the
 * peer's own reachability. Immutable.
 */
public enum AddressScope {

    /** Every address. */
    ALL,

    /** Only addresses starting with a public IP or DNS name and not going through a relay. */
    PUBLIC;

    /** True if {@code addr} is in this scope. */
    public boolean includes(Multiaddr addr) {
        return this == ALL || (addr.isPublic() && !isRelayed(addr));
    }

    /** {@code peer} with only its addresses in this scope; the same object when all are. */
    public PeerRef restrict(PeerRef peer) {
        if (this == ALL) {
            return peer;
        }
        List<Multiaddr> kept = new ArrayList<>(peer.addrs().size());
        for (Multiaddr addr : peer.addrs()) {
            if (includes(addr)) {
                kept.add(addr);
            }
        }
        return kept.size() == peer.addrs().size() ? peer : peer.withAddrs(kept);
    }

    /**
     * Each peer restricted to this scope; peers left without an address are dropped, since nobody
     * could dial them.
     */
    public List<PeerRef> restrictAll(List<PeerRef> peers) {
        if (this == ALL) {
            return peers;
        }
        List<PeerRef> out = new ArrayList<>(peers.size());
        for (PeerRef p : peers) {
            PeerRef kept = restrict(p);
            if (!kept.addrs().isEmpty()) {
                out.add(kept);
            }
        }
        return out;
    }

    private static boolean isRelayed(Multiaddr addr) {
        for (Multiaddr.Component c : addr.components()) {
            if (c.protocol() == Protocol.P2P_CIRCUIT) {
                return true;
            }
        }
        return false;
    }
}
