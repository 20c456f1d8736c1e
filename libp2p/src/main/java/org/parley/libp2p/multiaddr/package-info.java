/**
 * Multiaddr: self-describing network addresses ({@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}) in
 * their binary (wire) and text forms, and the reachability classes the DHT needs.
 */
package org.parley.libp2p.multiaddr;
