/**
 * NAT traversal in the node: {@link org.parley.node.nat.RelayHop} serves the circuit relay hop
 * protocol for peers behind NATs while AutoNAT finds this node public (or always or never, per
 * {@link org.parley.node.nat.RelayServicePolicy}), and {@link org.parley.node.nat.RelayReservations}
 * makes a node behind a NAT reachable through up to two relays.
 */
package org.parley.node.nat;
