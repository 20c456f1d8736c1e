/**
 * Kademlia DHT on {@code /ipfs/kad/1.0.0}: {@link org.parley.dht.KadDht}, its configuration, modes, routing-table upkeep and the user rendezvous key.
 */
package org.parley.dht;
