/**
 * multistream-select 1.0: the codec ({@link org.parley.libp2p.multistream.MultistreamCodec}) and
 * both roles of the negotiation ({@link org.parley.libp2p.multistream.MultistreamSelect}) that
 * picks the protocol of a raw connection, a secure channel and every muxed stream.
 */
package org.parley.libp2p.multistream;
