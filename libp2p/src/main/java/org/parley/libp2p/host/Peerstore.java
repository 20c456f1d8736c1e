package org.parley.libp2p.host;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * What the host knows about other peers: addresses with a time to live, public key, protocols,
 * agent and protocol version, latency. The host fills it from connections, identify and pings;
 * other modules (the DHT) add addresses they learn. Thread safe.
 *
 * <p>Addresses of a connected peer (the connection's remote address and those from identify)
 * do not expire while it is connected; when its last connection closes they live on for
 * {@link #RECENTLY_CONNECTED_TTL}. The store holds at most {@link #MAX_PEERS} peers and evicts
 * the least recently used unconnected ones beyond that.
 */
public interface Peerstore {

    /** go-libp2p's RecentlyConnectedAddrTTL: a peer that just left is likely back at the same address soon. */
    Duration RECENTLY_CONNECTED_TTL = Duration.ofMinutes(15);

    /** go-libp2p's TempAddrTTL, for addresses heard from third parties (DHT replies) and not yet tried. */
    Duration TEMPORARY_TTL = Duration.ofMinutes(2);

    /**
     * A full kad routing table holds about 5,000 peers and lookups meet more; 10,000 records of a
     * few hundred bytes each stay within a few MiB.
     */
    int MAX_PEERS = 10_000;

    /**
     * Addresses kept per peer. Real peers announce a handful (a few interfaces, IPv4 and IPv6,
     * relays); this bounds what one identify or DHT reply can make us store.
     */
    int MAX_ADDRESSES_PER_PEER = 32;

    /** Protocols kept per peer; real peers announce a few dozen at most. */
    int MAX_PROTOCOLS_PER_PEER = 128;

    /**
     * Adds addresses for {@code peer} that live for {@code ttl} (a trailing {@code /p2p/} is
     * removed). An address already known keeps the later of its current and the new expiry.
     * Addresses beyond {@link #MAX_ADDRESSES_PER_PEER} are dropped.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

    /** The peer's addresses that have not expired, without {@code /p2p/}; empty if none. */
    List<Multiaddr> addresses(PeerId peer);

    /** The peer's public key, once a connection or identify has supplied it (or the id inlines it). */
    Optional<PublicKey> publicKey(PeerId peer);

    /** The protocols the peer announced in its last identify; empty if unknown. */
    Set<String> protocols(PeerId peer);

    /** True if the peer's last identify announced {@code protocol}. */
    default boolean supports(PeerId peer, String protocol) {
        return protocols(peer).contains(protocol);
    }

    /** The peer's agent version from identify, for example {@code go-libp2p/0.36.0}. */
    Optional<String> agentVersion(PeerId peer);

    /** The peer's protocol (network family) version from identify, for example {@code ipfs/0.1.0}. */
    Optional<String> protocolVersion(PeerId peer);

    /** A moving average of measured ping round trips. */
    Optional<Duration> latency(PeerId peer);

    /** The peers the store holds anything about. */
    Set<PeerId> peers();
}
