/**
 * Signed envelopes (libp2p RFC 0002) and the peer records they carry (RFC 0003): records a peer
 * signs about itself that others can relay and still attribute to it.
 */
package org.parley.libp2p.record;
