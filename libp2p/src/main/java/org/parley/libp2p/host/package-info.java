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
 * ({@code tcp}, {@code memory}, {@code relayed}, {@code webrtc}) and whether it is limited (a relay's
 * circuit, cut after a short time or a few bytes). On a limited connection the host serves only
 * identify, ping and handlers that declare
 * {@link org.parley.libp2p.host.StreamHandler#acceptsLimitedConnections()}. New streams to a peer
 * take a direct connection over a limited one, and once a direct one is up the limited ones close
 * (when their streams end, at the latest 10 s later). A transport that dials over another
 * connection to the peer (WebRTC signals over a relayed one) names it
 * ({@link org.parley.libp2p.core.Transport#dialsOver}) and the host opens that one first.
 */
package org.parley.libp2p.host;
