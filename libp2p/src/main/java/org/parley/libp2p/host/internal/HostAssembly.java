package org.parley.libp2p.host.internal;

import java.time.Clock;
import java.util.List;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.core.StreamMuxer;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * The one public entry into this package: makes a {@link Host} from its parts. Called by
 * {@link org.parley.libp2p.HostBuilder}, which checks and defaults the parts; use that instead.
 * Everything else in this package is package-private.
 */
public final class HostAssembly {

    private HostAssembly() {}

    /**
     * A host that is not started yet, made of the given parts.
     *
     * @param transports each is made once, with the host's thread factory
     * @param security secures connections of transports that do not secure their own
     * @param muxer multiplexes connections of transports that do not multiplex their own
     * @param clock the time of the peerstore's expiries, of connections' open and idle times
     */
    public static Host newHost(PrivateKey identity, List<Transport.Factory> transports, SecureTransport security,
            StreamMuxer muxer, List<Multiaddr> listen, String agentVersion, String protocolVersion, HostLimits limits,
            Clock clock) {
        return new DefaultHost(identity, transports, security, muxer, listen, agentVersion, protocolVersion, limits,
                clock);
    }
}
