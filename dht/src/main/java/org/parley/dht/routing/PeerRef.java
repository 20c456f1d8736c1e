package org.parley.dht.routing;

import java.util.List;
import java.util.Objects;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A peer as the DHT knows it: its id, the addresses it was last reported with, and its point in
 * the keyspace (hashed once here, because lookups compare it many times). Immutable and thread safe.
 */
public final class PeerRef {

    private final PeerId id;
    private final List<Multiaddr> addrs;
    private final KadId kadId;

    public PeerRef(PeerId id, List<Multiaddr> addrs) {
        this(id, addrs, KadId.of(id));
    }

    private PeerRef(PeerId id, List<Multiaddr> addrs, KadId kadId) {
        this.id = Objects.requireNonNull(id, "id");
        this.addrs = List.copyOf(addrs);
        this.kadId = kadId;
    }

    public static PeerRef of(PeerId id, Multiaddr... addrs) {
        return new PeerRef(id, List.of(addrs));
    }

    public PeerId id() {
        return id;
    }

    public List<Multiaddr> addrs() {
        return addrs;
    }

    public KadId kadId() {
        return kadId;
    }

    /** The same peer with other addresses; the keyspace point is reused, not rehashed. */
    public PeerRef withAddrs(List<Multiaddr> newAddrs) {
        return new PeerRef(id, newAddrs, kadId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerRef other && id.equals(other.id) && addrs.equals(other.addrs);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id + (addrs.isEmpty() ? "" : addrs.toString());
    }
}
