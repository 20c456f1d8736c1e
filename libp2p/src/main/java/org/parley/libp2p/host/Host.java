package org.parley.libp2p.host;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.internal.DefaultHost;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;

/**
 * A libp2p node: listens and dials over TCP, upgrades every connection with multistream-select,
 * Noise and yamux, identifies its peers, serves {@code /ipfs/id/1.0.0}, {@code /ipfs/id/push/1.0.0}
 * and {@code /ipfs/ping/1.0.0}, and routes inbound streams to registered protocol handlers.
 *
 * <p>Thread safe: every method may be called from any thread. Blocking methods (dials, streams,
 * pings) block only their caller; call them from virtual threads. Handlers run on their own
 * virtual thread per stream; event subscribers run on one dispatcher thread, in order.
 */
public interface Host extends AutoCloseable {

    /** A builder for a host; {@link Builder#identity} is required. */
    static Builder builder() {
        return new Builder();
    }

    /** Binds the listen addresses and starts serving. Call once, before dialing. */
    void start() throws IOException;

    /** Our peer id, derived from {@link #identity()}. */
    PeerId peerId();

    /** Our identity key. */
    PrivateKey identity();

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
     * @throws IOException if the address cannot be reached or the upgrade fails
     */
    Connection connect(Multiaddr address) throws IOException;

    /**
     * Returns an open connection to {@code peer}, or dials the peer's addresses from the peerstore
     * (several at once; the first to succeed wins). Concurrent calls for one peer share one dial.
     *
     * @throws java.net.ConnectException if no address is known or none could be reached
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
     * Keeps connections to {@code peer} (a bootstrap node, a contact's device) from being closed as
     * idle or trimmed by the connection manager.
     */
    void protect(PeerId peer);

    /** Undoes {@link #protect}. */
    void unprotect(PeerId peer);

    /**
     * Closes the listeners and all connections and waits for the host's threads to end;
     * subscribers receive the last disconnect events first. Idempotent.
     */
    @Override
    void close();

    /** Collects a host's settings. Not thread safe; {@link #build()} may be called once per host. */
    final class Builder {

        /** What go-libp2p announces; identify.md leaves the value free and no peer checks it. */
        public static final String DEFAULT_PROTOCOL_VERSION = "ipfs/0.1.0";
        /** {@code parley/<version>} from the jar manifest, see {@link Identify#AGENT_VERSION}. */
        public static final String DEFAULT_AGENT_VERSION = Identify.AGENT_VERSION;

        private PrivateKey identity;
        private List<Multiaddr> listen = List.of();
        private String agentVersion = DEFAULT_AGENT_VERSION;
        private String protocolVersion = DEFAULT_PROTOCOL_VERSION;
        private HostLimits limits = HostLimits.defaults();

        private Builder() {}

        /** The identity key (required). */
        public Builder identity(PrivateKey identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** TCP addresses to listen on, for example {@code /ip4/0.0.0.0/tcp/4001}; port 0 picks a free port. */
        public Builder listen(List<Multiaddr> addresses) {
            this.listen = List.copyOf(addresses);
            return this;
        }

        /** The agent version announced in identify. */
        public Builder agentVersion(String agentVersion) {
            this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
            return this;
        }

        /** The protocol version (network family) announced in identify. */
        public Builder protocolVersion(String protocolVersion) {
            this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
            return this;
        }

        public Builder limits(HostLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** A host that is not started yet. */
        public Host build() {
            if (identity == null) {
                throw new IllegalStateException("a host needs an identity key");
            }
            return new DefaultHost(identity, listen, agentVersion, protocolVersion, limits);
        }
    }
}
