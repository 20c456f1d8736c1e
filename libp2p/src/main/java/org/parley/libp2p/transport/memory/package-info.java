/**
 * In-memory connections: {@link org.parley.libp2p.transport.memory.MemoryPipe}, a pipe pair
 * standing in for a socket, and {@link org.parley.libp2p.transport.memory.MemoryTransport}, the
 * {@link org.parley.libp2p.core.Transport} over a shared
 * {@link org.parley.libp2p.transport.memory.MemoryNetwork} on {@code /memory/<name>} addresses,
 * so tests and simulations run many whole hosts in one JVM without sockets.
 */
package org.parley.libp2p.transport.memory;
