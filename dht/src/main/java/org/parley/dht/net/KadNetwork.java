package org.parley.dht.net;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * How a DHT node reaches the network: connect to a peer and learn whether it serves the DHT, send
 * a kad request to a peer and wait for its answer, send a message that gets none, accept inbound
 * requests while in server mode, and say what the node knows of peers outside its routing table.
 * The libp2p host implements it over {@code /ipfs/kad/1.0.0} streams; the simulation implements
 * it in memory, so thousands of nodes run in one JVM. Implementations are thread safe: lookups
 * call {@link #request} from many virtual threads at once.
 */
public interface KadNetwork {

    /**
     * Connects to {@code peer} at its addresses (a {@code /dnsaddr/} one resolved first; or through
     * an existing connection) and reports whether it serves the DHT: its identify lists
     * {@code /ipfs/kad/1.0.0}. How a node checks its bootstrap peers before they enter the
     * routing table.
     *
     * @throws KadTimeoutException if connecting took longer than {@code timeout}
     * @throws IOException if the peer could not be reached
     */
    boolean connect(PeerRef peer, Duration timeout) throws IOException;

    /**
     * Sends {@code request} to {@code peer} and blocks until its response arrives.
     *
     * @throws KadTimeoutException if no response came within {@code timeout}
     * @throws org.parley.libp2p.core.PeerFaultException if the peer answered with something invalid
     * @throws org.parley.libp2p.core.ConnectionClosedException if the peer could not be reached or
     *     closed the stream without an answer
     */
    KadMessage request(PeerRef peer, KadMessage request, Duration timeout) throws IOException;

    /**
     * Sends {@code message} to {@code peer} without waiting for an answer (ADD_PROVIDER). Returns
     * once the message is written.
     *
     * @throws IOException if the peer could not be reached within {@code timeout}
     */
    void send(PeerRef peer, KadMessage message, Duration timeout) throws IOException;

    /** Starts handing inbound requests to {@code inbound} (server mode); replaces an earlier one. */
    void serve(KadInbound inbound);

    /** Stops accepting inbound requests (client mode). Idempotent. */
    void stopServing();

    /** The addresses other peers can reach us at, as announced in ADD_PROVIDER. */
    List<Multiaddr> localAddrs();

    /**
     * The addresses of {@code peer} this node learned from the peer itself (it is or was recently
     * connected and identified), whether or not it is a DHT server; empty if none. A FIND_NODE
     * answer names the target with these, so that even a DHT client can be found through the
     * servers it is connected to.
     */
    List<Multiaddr> knownAddresses(PeerId peer);
}
