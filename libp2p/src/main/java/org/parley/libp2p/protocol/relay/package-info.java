/**
 * Circuit relay v2: {@link org.parley.libp2p.protocol.relay.RelayService}, the hop service a
 * reachable node runs (reservations with signed vouchers, circuits under limits of time and bytes
 * from {@link org.parley.libp2p.protocol.relay.RelayConfig}), and
 * {@link org.parley.libp2p.protocol.relay.RelayTransport}, the client as a transport (reservations
 * kept fresh, dials to {@code <relay>/p2p/R/p2p-circuit/p2p/T}, circuits accepted through STOP).
 * Connections over a circuit report {@code transport() == "relayed"} and are limited when the
 * relay announced limits. The wire records and codec are in {@code wire}.
 */
package org.parley.libp2p.protocol.relay;
