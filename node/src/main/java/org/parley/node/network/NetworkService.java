package org.parley.node.network;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SelfDialException;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.ConnectionStats;
import org.parley.libp2p.host.ConnectionLimitException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ListenAddresses;
import org.parley.node.nat.NodeWebRtc;
import org.parley.node.service.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node on the libp2p network: who it is, whom it is connected to, and dialing and pinging
 * other peers. Refuses what cannot work (pinging or dialing itself, a count out of range, an
 * address it cannot dial) with a {@link ServiceException} that says what to do instead. Blocking
 * calls block only their caller; thread safe.
 */
public final class NetworkService {

    private static final Logger log = LoggerFactory.getLogger(NetworkService.class);

    /** Enough to see jitter; more belongs in a benchmark. */
    public static final int MAX_PING_COUNT = 100;
    /** One round trip answers "is it there?". */
    public static final int DEFAULT_PING_COUNT = 1;

    private final Host host;
    private final PeerLocator locator;
    private final NodeWebRtc webrtc;

    /** A service for a host without WebRTC. */
    public NetworkService(Host host, PeerLocator locator) {
        this(host, locator, NodeWebRtc.off("this node was started without it"));
    }

    /**
     * @param locator asked for the addresses of a peer to ping that the host knows nothing about
     * @param webrtc the node's WebRTC, whose availability and failed upgrades {@link #peers} reports
     */
    public NetworkService(Host host, PeerLocator locator, NodeWebRtc webrtc) {
        this.host = host;
        this.locator = locator;
        this.webrtc = webrtc;
    }

    /** Whether WebRTC is available, and why not. */
    public NodeWebRtc webrtc() {
        return webrtc;
    }

    public PeerId self() {
        return host.peerId();
    }

    /** The full multiaddrs peers can dial, {@code .../p2p/<PeerId>}, loopback first. */
    public List<Multiaddr> addresses() {
        return ListenAddresses.dialable(host.listenAddresses(), host.peerId());
    }

    /** The protocols this node serves, sorted. */
    public List<String> protocols() {
        return host.protocols().stream().sorted().toList();
    }

    /** What the host's connection manager refused and closed, and the limits it works with. */
    public ConnectionStats connectionStats() {
        return host.connectionStats();
    }

    /** The connected peers, sorted by PeerId. */
    public List<PeerStatus> peers() {
        Map<PeerId, List<Connection>> byPeer = new LinkedHashMap<>();
        for (Connection connection : host.connections()) {
            byPeer.computeIfAbsent(connection.remotePeer(), p -> new ArrayList<>()).add(connection);
        }
        Peerstore store = host.peerstore();
        List<PeerStatus> peers = new ArrayList<>();
        for (Map.Entry<PeerId, List<Connection>> entry : byPeer.entrySet()) {
            PeerId peer = entry.getKey();
            List<Connection> connections = entry.getValue();
            // The host opens new streams on an unlimited connection when the peer has one.
            Connection preferred = connections.stream().filter(c -> !c.limited()).findFirst()
                    .orElse(connections.getFirst());
            peers.add(new PeerStatus(peer,
                    connections.stream().map(c -> c.remoteAddress().withPeerId(peer)).distinct().toList(),
                    connections.getFirst().isInitiator(),
                    store.agentVersion(peer),
                    store.protocols(peer).stream().sorted().toList(),
                    store.latency(peer),
                    preferred.transport(),
                    preferred.limited(),
                    connections.stream().map(c -> new ConnectionStatus(c.remoteAddress().withPeerId(peer),
                            c.transport(), c.limited())).toList(),
                    preferred.limited() ? webrtc.upgradeFailure(peer) : Optional.empty()));
        }
        peers.sort(Comparator.comparing(p -> p.peer().toBase58()));
        return peers;
    }

    /**
     * Dials {@code address} and returns the connection once the peer is identified.
     *
     * @throws ServiceException BAD_INPUT for this node's own address or one it cannot dial,
     *     UNREACHABLE if nobody answers or the peer breaks the protocol, UNAVAILABLE at the
     *     connection limit
     */
    public Connection connect(Multiaddr address) {
        requireNotSelf(address);
        try {
            return host.connect(address);
        } catch (UnsupportedAddressException e) {
            // The host refuses addresses no transport can dial before it opens anything.
            log.debug("host refused to dial {}: {}", address, e.getMessage());
            throw ServiceException.badInput("cannot dial " + address + ": none of this node's transports dials"
                    + " it; give a TCP address such as /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW...");
        } catch (SelfDialException e) {
            // Another of our own addresses (an interface alias, a port forward) that the check above missed.
            throw ServiceException.badInput(address + " leads back to this node; give the address of another node");
        } catch (IOException e) {
            throw failure("cannot connect to " + address, e);
        }
    }

    /**
     * Pings {@code peer} {@code count} times; a peer without connection or known address is looked
     * up with the {@link PeerLocator} first.
     *
     * @throws ServiceException BAD_INPUT for this node itself or a count outside
     *     1..{@value #MAX_PING_COUNT}, NOT_FOUND if the peer cannot be located, UNREACHABLE if it
     *     does not answer
     */
    public PingResult ping(PeerId peer, int count) {
        requireCount(count);
        if (peer.equals(host.peerId())) {
            throw ServiceException.badInput(peer + " is this node's own PeerId; ping another peer"
                    + " (parley peers lists the connected ones)");
        }
        locateIfUnknown(peer);
        return pingConnected(peer, count);
    }

    /** Dials {@code address} (see {@link #connect}), then pings the peer there {@code count} times. */
    public PingResult ping(Multiaddr address, int count) {
        requireCount(count);
        return pingConnected(connect(address).remotePeer(), count);
    }

    private PingResult pingConnected(PeerId peer, int count) {
        List<Duration> rtts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                rtts.add(host.ping(peer));
            } catch (ConnectException e) {
                throw new ServiceException(ServiceException.Kind.UNREACHABLE, "cannot reach " + peer + ": "
                        + e.getMessage() + "; if the node has no address for it, connect first"
                        + " (parley connect MULTIADDR) or look it up (parley dht find-peer " + peer + ")", e);
            } catch (IOException e) {
                throw failure("ping to " + peer + " failed", e);
            }
        }
        return new PingResult(peer, rtts);
    }

    private static void requireCount(int count) {
        if (count < 1 || count > MAX_PING_COUNT) {
            throw ServiceException.badInput("the ping count must be 1.." + MAX_PING_COUNT + ", got " + count);
        }
    }

    /** Dialing ourselves would only reach a Noise handshake that ends in "we are ourselves". */
    private void requireNotSelf(Multiaddr address) {
        PeerId self = host.peerId();
        // A circuit address's /p2p/ names the peer behind the relay: without it, it is the relay's
        // circuit, which this node may share with the peer it dials, so only the named peer counts.
        boolean circuit = address.peerId() != null
                && address.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
        boolean ours = self.equals(address.peerId()) || (!circuit
                && addresses().stream().anyMatch(a -> a.withoutPeerId().equals(address.withoutPeerId())));
        if (ours) {
            throw ServiceException.badInput(address + " is this node's own address; give the address of another"
                    + " node (parley id prints this node's, on the other machine it prints that node's)");
        }
    }

    /** Looks up a peer we have neither a connection nor an address for, and remembers what it finds. */
    private void locateIfUnknown(PeerId peer) {
        if (!host.connections(peer).isEmpty() || !host.peerstore().addresses(peer).isEmpty()) {
            return;
        }
        List<Multiaddr> found = locator.locate(peer);
        if (found.isEmpty()) {
            throw ServiceException.notFound("peer " + peer + " is not connected, has no known address and was not"
                    + " found in the DHT; connect to it first (parley connect MULTIADDR)");
        }
        host.peerstore().addAddresses(peer, found, Peerstore.TEMPORARY_TTL);
    }

    /** Maps a libp2p failure to the kind the caller reports. */
    static ServiceException failure(String what, IOException e) {
        if (e instanceof ConnectionLimitException) {
            return new ServiceException(ServiceException.Kind.UNAVAILABLE, what + ": " + e.getMessage(), e);
        }
        if (e instanceof PeerFaultException) {
            return new ServiceException(ServiceException.Kind.UNREACHABLE, what + ": the peer broke the protocol: "
                    + e.getMessage(), e);
        }
        return new ServiceException(ServiceException.Kind.UNREACHABLE, what + ": " + e.getMessage(), e);
    }

}
