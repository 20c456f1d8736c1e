package org.parley.libp2p;

/**
 * Where a libp2p host is made, as go-libp2p's {@code libp2p.New}: {@link #newHost()} starts a
 * {@link HostBuilder} whose defaults are TCP, Noise and yamux.
 *
 * <pre>{@code
 * Host host = Libp2p.newHost()
 *         .identity(key)
 *         .listen(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")))
 *         .build();
 * host.start();
 * }</pre>
 */
public final class Libp2p {

    private Libp2p() {}

    /** A builder for a host; {@link HostBuilder#identity} is required. */
    public static HostBuilder newHost() {
        return new HostBuilder();
    }
}
