/**
 * The node's use of the DHT: {@link org.parley.node.dht.DhtService} (find-peer, provide,
 * providers, get, and put with this node's record numbering and signing),
 * {@link org.parley.node.dht.DhtKeys} for the keys users type, and the
 * {@link org.parley.node.dht.DhtFeature} that serves them.
 */
package org.parley.node.dht;
