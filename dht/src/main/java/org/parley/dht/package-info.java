/**
 * Kademlia DHT on {@code /ipfs/kad/1.0.0}: {@link org.parley.dht.KadDht}, its configuration, modes and routing-table upkeep.
 * The routing table is saved in the data dir; a saved file this version cannot read is moved aside with
 * {@link org.parley.libp2p.util.StateFiles}, never overwritten.
 */
package org.parley.dht;
