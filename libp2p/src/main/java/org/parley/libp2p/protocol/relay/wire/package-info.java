/**
 * Circuit relay v2 on the wire: the hop and stop messages, limits, statuses and the reservation
 * voucher as records, and {@link org.parley.libp2p.protocol.relay.wire.RelayCodec}, the one place
 * that turns them into bytes and back with every limit checked.
 */
package org.parley.libp2p.protocol.relay.wire;
