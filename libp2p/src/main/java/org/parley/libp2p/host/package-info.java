/**
 * The libp2p host: {@link org.parley.libp2p.host.Host} connects to peers over TCP, Noise and yamux,
 * serves protocol handlers on {@link org.parley.libp2p.host.Stream}s, keeps a
 * {@link org.parley.libp2p.host.Peerstore} and reports {@link org.parley.libp2p.host.HostEvent}s.
 * {@link org.parley.libp2p.host.HostLimits} bounds connections and handshakes (per host, per IP
 * address and per subnet, with watermarks for trimming);
 * {@link org.parley.libp2p.host.ConnectionStats} reports what the limits refused and closed.
 * Its implementation lives in {@code internal}.
 */
package org.parley.libp2p.host;
