package org.parley.libp2p.host;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A libp2p node: listens and dials over its transports (TCP by default), upgrades every raw
 * connection with multistream-select, a security protocol and a muxer (Noise and yamux by
 * default), identifies its peers, serves {@code /ipfs/id/1.0.0}, {@code /ipfs/id/push/1.0.0}
 * and {@code /ipfs/ping/1.0.0}, and routes inbound streams to registered protocol handlers.
 *
 * <p>Thread safe: every method may be called from any thread. Blocking methods (dials, streams,
 * pings) block only their caller; call them from virtual threads. Handlers run on their own
 * virtual thread per stream; event subscribers run on one dispatcher thread, in order.
 *
 * <p>Made by {@link org.parley.libp2p.HostBuilder}, for example
 * {@code Libp2p.newHost().identity(key).listen(addresses).build()}.
 */
public interface Host extends AutoCloseable {

    /**
     * Binds the listen addresses, each with the first transport that takes it, and starts serving.
     * Call once, before dialing.
     *
     * @throws org.parley.libp2p.core.UnsupportedAddressException if no transport of the host can
     *     listen on one of the addresses; the message says which kinds it can
     * @throws java.net.BindException if an address is in use or not local
     */
    void start() throws IOException;

    /**
     * Binds one more listen address on a started host (a relay's {@code .../p2p-circuit} found
     * after start, for instance) and announces it to connected peers with an identify push.
     *
     * @return the addresses the new listener added
     * @throws org.parley.libp2p.core.UnsupportedAddressException if no transport of the host can
     *     listen on the address
     * @throws IOException if binding fails (a relay that refuses a reservation, a port in use)
     */
    List<Multiaddr> listen(Multiaddr address) throws IOException;

    /** Our peer id, derived from the identity key the host was built with. */
    PeerId peerId();

    /** The addresses we listen on, with real ports and without {@code /p2p/}; empty before start. */
    List<Multiaddr> listenAddresses();

    /**
     * Connects to the peer at {@code address}, or returns an open connection to it when the address
     * names the peer ({@code /p2p/...}) and one exists. Returns once the peer is identified (or
     * identify failed), so its protocols are in the {@link #peerstore()}.
     *
     * @throws org.parley.libp2p.core.PeerFaultException if the peer at the address is not the one
     *     named by its {@code /p2p/} component, or it breaks a protocol during the upgrade
     * @throws ConnectionLimitException if the host is at {@link HostLimits#maxConnections()}
     * @throws org.parley.libp2p.core.UnsupportedAddressException if none of the host's transports
     *     can dial the address; the message says which kinds of address it can dial
     * @throws org.parley.libp2p.core.SelfDialException if the address names our own peer id
     * @throws IOException if the address cannot be reached or the upgrade fails
     */
    Connection connect(Multiaddr address) throws IOException;

    /**
     * Returns an open connection to {@code peer}, or dials the peer's addresses from the peerstore
     * (several at once; the first to succeed wins). Concurrent calls for one peer share one dial.
     *
     * @throws java.net.ConnectException if no address is known or none could be reached
     * @throws org.parley.libp2p.core.UnsupportedAddressException if addresses are known but no
     *     transport of the host can dial any of them
     * @throws org.parley.libp2p.core.SelfDialException if {@code peer} is our own peer id
     * @throws ConnectionLimitException if the host is at {@link HostLimits#maxConnections()}
     */
    Connection connect(PeerId peer) throws IOException;

    /**
     * Opens a stream to {@code peer} (reusing a connection, dialing if there is none) and
     * negotiates the first of {@code protocols} it supports.
     *
     * @throws org.parley.libp2p.multistream.ProtocolNotSupportedException if it supports none
     */
    Stream newStream(PeerId peer, String... protocols) throws IOException;

    /**
     * Serves inbound streams of {@code protocolId} with {@code handler}, replacing any previous one.
     * A new protocol is announced to connected peers with an identify push.
     */
    void setHandler(String protocolId, StreamHandler handler);

    /** Stops serving {@code protocolId}; connected peers learn it with an identify push. */
    void removeHandler(String protocolId);

    /** The protocols we serve, as announced in identify. */
    Set<String> protocols();

    /** What we know about other peers. */
    Peerstore peerstore();

    /**
     * Delivers every later {@link HostEvent} to {@code subscriber}, in order, on the host's
     * dispatcher thread. A subscriber that throws is logged and keeps its subscription; a slow one
     * delays all others, so hand long work to another thread.
     */
    Subscription subscribe(Consumer<HostEvent> subscriber);

    /**
     * Measures the round trip to {@code peer} with {@code /ipfs/ping/1.0.0} (connecting if needed)
     * and records it in the peerstore.
     */
    Duration ping(PeerId peer) throws IOException;

    /** The open connections, in no particular order. */
    List<Connection> connections();

    /** The open connections to {@code peer}. */
    List<Connection> connections(PeerId peer);

    /** What the connection manager refused and closed so far, and the limits it works with. */
    ConnectionStats connectionStats();

    /**
     * Keeps connections to {@code peer} (a bootstrap node, a contact's device, a relay) from being
     * closed as idle or trimmed by the connection manager, for the reason {@code tag}. A peer may be
     * protected for several reasons at once (a contact that is also a bootstrap node); it stays
     * protected until each is withdrawn.
     */
    void protect(PeerId peer, String tag);

    /**
     * Withdraws the protection {@code peer} had for the reason {@code tag}; returns true if it is
     * still protected for another reason.
     */
    boolean unprotect(PeerId peer, String tag);

    /**
     * Closes the listeners and all connections and waits for the host's threads to end;
     * subscribers receive the last disconnect events first. Idempotent.
     */
    @Override
    void close();
}
