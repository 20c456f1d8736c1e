/**
 * Many DHT nodes in one JVM on an in-memory network: scenarios and measurements
 * (the benchmark's main class, {@code SimulationBench}, is in the test sources, so it never ships).
 */
package org.parley.dht.sim;
