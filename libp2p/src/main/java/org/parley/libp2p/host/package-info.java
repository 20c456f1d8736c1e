/**
 * The libp2p host: {@link org.parley.libp2p.host.Host} connects to peers over its transports,
 * secures and multiplexes the connections, serves protocol handlers on
 * {@link org.parley.libp2p.host.Stream}s, keeps a {@link org.parley.libp2p.host.Peerstore} and
 * reports {@link org.parley.libp2p.host.HostEvent}s. Hosts are built by
 * {@link org.parley.libp2p.HostBuilder}; the implementation lives in {@code internal}.
 * {@link org.parley.libp2p.host.HostLimits} bounds connections and handshakes (per host, per IP
 * address and per subnet, with watermarks for trimming);
 * {@link org.parley.libp2p.host.ConnectionStats} reports what the limits refused and closed.
 *
 * <p>Each {@link org.parley.libp2p.host.Connection} says which kind of transport carries it
 * ({@code tcp}, {@code memory}, {@code relayed}) and whether it is limited (a relay's circuit, cut
 * after a short time or a few bytes). On a limited connection the host serves only identify, ping
 * and handlers that declare {@link org.parley.libp2p.host.StreamHandler#acceptsLimitedConnections()}.
 */
package org.parley.libp2p.host;
