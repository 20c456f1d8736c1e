package org.parley.node.network;

import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * One open connection to a peer. Immutable.
 *
 * @param address the remote address, ending in {@code /p2p/<PeerId>}
 * @param transport {@code tcp}, {@code relayed}, {@code webrtc} (or {@code memory} in tests)
 * @param limited whether it is a relay's limited connection
 */
public record ConnectionStatus(Multiaddr address, String transport, boolean limited) {}
