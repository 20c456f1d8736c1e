/**
 * Many DHT nodes in one JVM on an in-memory network: scenarios, measurements and the benchmark.
 */
package org.parley.dht.sim;
