/**
 * The host's implementation: picking a transport by address, connection upgrade, connection
 * registry and limits, admission of inbound handshakes ({@code HandshakeAdmission}), the
 * connection manager's trimming ({@code ConnectionManager}), rate-limited logging of peer faults
 * ({@code MisbehaviourLog}), peerstore (identify results per connection), event dispatch, identify
 * wiring. Not an API: use {@link org.parley.libp2p.host.Host}, built by
 * {@link org.parley.libp2p.HostBuilder}.
 *
 * <p>Kept internal without a {@code module-info.java} (the other modules and their tests use
 * libp2p on the class path, where a module descriptor would not be enforced): every class here is
 * package-private except {@link org.parley.libp2p.host.internal.HostAssembly}, whose one static
 * method makes a host from its parts and returns it as the public {@code Host} type. Tests reach
 * diagnostics (thread counts, the idle sweep) through package-private methods.
 *
 * <p>Times (peerstore expiry, connection open and idle times) come from the clock the host was
 * built with; only deadlines of blocking operations use the monotonic {@code System.nanoTime()}.
 */
package org.parley.libp2p.host.internal;
