/**
 * The libp2p host: {@link org.parley.libp2p.host.Host} connects to peers over its transports,
 * secures and multiplexes the connections, serves protocol handlers on
 * {@link org.parley.libp2p.host.Stream}s, keeps a {@link org.parley.libp2p.host.Peerstore} and
 * reports {@link org.parley.libp2p.host.HostEvent}s. Hosts are built by
 * {@link org.parley.libp2p.HostBuilder}; the implementation lives in {@code internal}.
 */
package org.parley.libp2p.host;
