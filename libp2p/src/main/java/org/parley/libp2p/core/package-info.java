/**
 * Interfaces and value types shared by every libp2p protocol in this module: byte streams,
 * transports and their raw connections and listeners, security protocols, muxed streams and
 * sessions, and the failures: the three kinds (peer fault, our bug, closed) and the caller's
 * mistakes {@link org.parley.libp2p.core.UnsupportedAddressException} and
 * {@link org.parley.libp2p.core.SelfDialException}.
 *
 * <p>A {@link org.parley.libp2p.core.Transport} says which multiaddrs it dials and listens on and
 * whether its connections arrive already secured and multiplexed; the host picks one by address.
 * A {@link org.parley.libp2p.core.RawConnection} names its kind of transport and says whether it is
 * limited, which the host passes on to the upgraded connection.
 */
package org.parley.libp2p.core;
