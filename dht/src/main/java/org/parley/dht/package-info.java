/**
 * Kademlia DHT on {@code /ipfs/kad/1.0.0}: {@link org.parley.dht.KadDht}, its configuration, modes and routing-table upkeep.
 */
package org.parley.dht;
