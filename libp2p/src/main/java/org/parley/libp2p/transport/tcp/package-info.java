/**
 * The TCP {@link org.parley.libp2p.core.Transport}: blocking sockets whose accept loops and users
 * run on virtual threads; a connection is a buffered {@link org.parley.libp2p.core.RawConnection}
 * with TCP_NODELAY, which the host secures and multiplexes.
 */
package org.parley.libp2p.transport.tcp;
