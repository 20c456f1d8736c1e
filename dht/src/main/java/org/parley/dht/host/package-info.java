/**
 * The DHT over a libp2p host: kad streams, handler registration and routing-table admission from identify.
 * Outbound streams are reused through a bounded {@link org.parley.dht.host.IdleStreamPool} (per-peer and
 * total caps, idle expiry by an injected clock, dropped when their connection closes).
 */
package org.parley.dht.host;
