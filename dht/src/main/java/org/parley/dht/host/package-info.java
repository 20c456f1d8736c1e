/**
 * The DHT over a libp2p host: kad streams, handler registration and routing-table admission from identify.
 */
package org.parley.dht.host;
