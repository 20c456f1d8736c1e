/**
 * ping ({@code /ipfs/ping/1.0.0}): the dialer sends 32 random bytes, the listener echoes them, the
 * dialer measures the round trip. {@link org.parley.libp2p.protocol.ping.PingInitiator} and
 * {@link org.parley.libp2p.protocol.ping.PingResponder} are the two roles.
 */
package org.parley.libp2p.protocol.ping;
