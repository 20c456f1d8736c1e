/**
 * The libp2p host: {@link org.parley.libp2p.host.Host} connects to peers over its transports,
 * secures and multiplexes the connections, serves protocol handlers on
 * {@link org.parley.libp2p.host.Stream}s, keeps a {@link org.parley.libp2p.host.Peerstore} and
 * reports {@link org.parley.libp2p.host.HostEvent}s. Hosts are built by
 * {@link org.parley.libp2p.HostBuilder}; the implementation lives in {@code internal}.
 * {@link org.parley.libp2p.host.HostLimits} bounds connections and handshakes (per host, per IP
 * address and per subnet, with watermarks for trimming);
 * {@link org.parley.libp2p.host.ConnectionStats} reports what the limits refused and closed.
 */
package org.parley.libp2p.host;
