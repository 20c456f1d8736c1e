/**
 * NAT traversal in the node: {@link org.parley.node.nat.RelayHop} serves the circuit relay hop
 * protocol for peers behind NATs while AutoNAT finds this node public (or always or never, per
 * {@link org.parley.node.nat.RelayServicePolicy}), and {@link org.parley.node.nat.RelayReservations}
 * makes a node behind a NAT reachable through up to two relays. {@link org.parley.node.nat.NodeWebRtc}
 * is the node's WebRTC: on when the native library loads (one log line and TCP plus relays
 * otherwise), with the STUN servers of {@code --stun}, announcing {@code <circuit>/webrtc} with each
 * reservation; peers reached only through a relay are upgraded to a direct WebRTC connection.
 */
package org.parley.node.nat;
