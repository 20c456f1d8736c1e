/**
 * Live updates: the node's {@link org.parley.node.events.EventBus} of typed
 * {@link org.parley.node.events.NodeEvent}s with a bounded, drop-oldest queue per subscriber,
 * the bridge from the host's peer events and the DHT's mode, chat's messages, states, requests and key warnings, and the {@code /api/events}
 * WebSocket that carries them to the web UI as JSON.
 */
package org.parley.node.events;
