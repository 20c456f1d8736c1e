/**
 * The small interface through which a DHT node talks to the network, so the same code runs over libp2p and in memory.
 */
package org.parley.dht.net;
