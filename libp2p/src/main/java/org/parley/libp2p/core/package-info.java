/**
 * Interfaces and value types shared by every libp2p protocol in this module: byte streams,
 * muxed streams and sessions, and the three kinds of failure.
 */
package org.parley.libp2p.core;
