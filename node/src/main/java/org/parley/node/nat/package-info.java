/**
 * NAT traversal in the node: {@link org.parley.node.nat.RelayHop} serves the circuit relay hop
 * protocol for peers behind NATs while AutoNAT finds this node public (or always or never, per
 * {@link org.parley.node.nat.RelayServicePolicy}).
 */
package org.parley.node.nat;
