/**
 * AutoNAT v1 ({@code /libp2p/autonat/1.0.0}): {@link org.parley.libp2p.protocol.autonat.AutoNatService}
 * dials peers back (only at the IP they connect from, throttled), and
 * {@link org.parley.libp2p.protocol.autonat.AutoNat} asks connected servers to dial us and turns
 * their answers into a {@link org.parley.libp2p.protocol.autonat.Reachability} through the
 * {@link org.parley.libp2p.protocol.autonat.ReachabilityTracker}, whose changes the node hands to
 * the DHT's server/client decision. The wire records and codec are in {@code wire}.
 */
package org.parley.libp2p.protocol.autonat;
