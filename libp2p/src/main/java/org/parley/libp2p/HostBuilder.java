package org.parley.libp2p;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.core.StreamMuxer;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.host.internal.HostAssembly;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.protocol.identify.Identify;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.yamux.Yamux;
import org.parley.libp2p.yamux.YamuxConfig;

/**
 * Collects the parts and settings of a {@link Host}: its identity, transports, security protocol,
 * muxer, limits, clock, identify versions and listen addresses. Without other choices a host
 * speaks TCP, Noise and yamux, so a caller names only its key and addresses. Get one from
 * {@link Libp2p#newHost()}. Not thread safe; {@link #build()} may be called once per host.
 */
public final class HostBuilder {

    /** What go-libp2p announces; identify.md leaves the value free and no peer checks it. */
    public static final String DEFAULT_PROTOCOL_VERSION = "ipfs/0.1.0";
    /** {@code parley/<version>} from the jar manifest, see {@link Identify#AGENT_VERSION}. */
    public static final String DEFAULT_AGENT_VERSION = Identify.AGENT_VERSION;

    private PrivateKey identity;
    private List<Multiaddr> listen = List.of();
    private final List<Transport.Factory> transports = new ArrayList<>();
    private Function<PrivateKey, SecureTransport> security = NoiseTransport::new;
    private StreamMuxer muxer;
    private String agentVersion = DEFAULT_AGENT_VERSION;
    private String protocolVersion = DEFAULT_PROTOCOL_VERSION;
    private HostLimits limits = HostLimits.defaults();
    private Clock clock = Clock.systemUTC();

    HostBuilder() {}

    /** The identity key (required): the host's PeerId and what Noise authenticates with. */
    public HostBuilder identity(PrivateKey identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /**
     * Addresses to listen on, each taken by the first transport that can, for example
     * {@code /ip4/0.0.0.0/tcp/4001} (port 0 picks a free port) or {@code /memory/a}.
     */
    public HostBuilder listen(List<Multiaddr> addresses) {
        this.listen = List.copyOf(addresses);
        return this;
    }

    /**
     * Adds a transport; the first one added replaces the default (TCP), so a host on an in-memory
     * network alone is {@code .transport(network)}, and one with both adds {@code TcpTransport::new}
     * too. An address goes to the first added transport that takes it.
     */
    public HostBuilder transport(Transport.Factory transport) {
        transports.add(Objects.requireNonNull(transport, "transport"));
        return this;
    }

    /** The security protocol, made from the identity key; {@link NoiseTransport} by default. */
    public HostBuilder security(Function<PrivateKey, SecureTransport> security) {
        this.security = Objects.requireNonNull(security, "security");
        return this;
    }

    /**
     * The stream muxer. By default yamux, with {@link HostLimits#maxStreamsPerConnection()} as its
     * inbound stream limit; a muxer given here brings its own limits.
     */
    public HostBuilder muxer(StreamMuxer muxer) {
        this.muxer = Objects.requireNonNull(muxer, "muxer");
        return this;
    }

    /** The agent version announced in identify. */
    public HostBuilder agentVersion(String agentVersion) {
        this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
        return this;
    }

    /** The protocol version (network family) announced in identify. */
    public HostBuilder protocolVersion(String protocolVersion) {
        this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
        return this;
    }

    /** Connection, stream and handshake limits and timeouts; {@link HostLimits#defaults()} if not set. */
    public HostBuilder limits(HostLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /**
     * The clock of the peerstore's expiries and of connections' open and idle times; the system
     * clock if not set. Tests give a fake one to drive expiry without waiting.
     */
    public HostBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * A host that is not started yet.
     *
     * @throws IllegalStateException if no identity was given
     */
    public Host build() {
        if (identity == null) {
            throw new IllegalStateException("a host needs an identity key");
        }
        List<Transport.Factory> chosen = transports.isEmpty() ? List.of(TcpTransport::new) : List.copyOf(transports);
        StreamMuxer chosenMuxer = muxer != null ? muxer
                : new Yamux(YamuxConfig.DEFAULT.withMaxInboundStreams(limits.maxStreamsPerConnection()));
        return HostAssembly.newHost(identity, chosen, security.apply(identity), chosenMuxer, listen, agentVersion,
                protocolVersion, limits, clock);
    }
}
