/**
 * Where a libp2p host is put together: {@link org.parley.libp2p.Libp2p#newHost()} returns a
 * {@link org.parley.libp2p.HostBuilder} that takes the identity key, the transports, the security
 * protocol and the muxer, the limits, the clock, the identify versions and the listen addresses,
 * and builds a {@link org.parley.libp2p.host.Host}. Defaults give TCP, Noise and yamux, so most
 * callers name only a key and addresses.
 *
 * <p>The circuit relay transport ({@link org.parley.libp2p.protocol.relay.RelayTransport}) opens
 * streams through the host it belongs to, so it is added with {@code .transport(relay)} and then
 * bound with {@code relay.bind(host)} before {@code host.start()}; the other transports need
 * nothing but the builder.
 *
 * <p>Why here and not in {@code Host}: the interface used to build its own implementation, so
 * {@code host} and {@code host.internal} needed each other. Now the dependencies point one way:
 * this package depends on {@code host}, {@code host.internal} and the parts it defaults to;
 * {@code host.internal} depends on {@code host} and {@code core} and on no transport, security
 * protocol or muxer by name. This mirrors go-libp2p's {@code libp2p.New} in its top package and
 * jvm-libp2p's host builder.
 */
package org.parley.libp2p;
