/**
 * In-memory connections: a pipe pair standing in for a socket in tests and in many-node
 * simulations in one JVM.
 */
package org.parley.libp2p.transport.memory;
