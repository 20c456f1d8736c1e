/**
 * The TCP transport: blocking sockets whose accept loops and users run on virtual threads; a
 * connection is a buffered {@link org.parley.libp2p.core.Duplex} with TCP_NODELAY.
 */
package org.parley.libp2p.transport.tcp;
