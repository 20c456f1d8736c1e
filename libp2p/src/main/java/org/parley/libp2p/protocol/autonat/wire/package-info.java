/**
 * AutoNAT v1 on the wire: the dial request and response as records, and
 * {@link org.parley.libp2p.protocol.autonat.wire.AutoNatCodec}, which turns them into bytes and
 * back with every limit checked.
 */
package org.parley.libp2p.protocol.autonat.wire;
