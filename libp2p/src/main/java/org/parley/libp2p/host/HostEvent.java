package org.parley.libp2p.host;

import org.parley.libp2p.peer.PeerId;

/** Something that happened to the host's peers; delivered to subscribers in order. */
public sealed interface HostEvent {

    PeerId peer();

    /** A connection to {@code peer} is up (it may not be the first one). */
    record PeerConnected(PeerId peer, Connection connection) implements HostEvent {}

    /** A connection to {@code peer} closed; {@code lastConnection} is true if none is left. */
    record PeerDisconnected(PeerId peer, Connection connection, boolean lastConnection) implements HostEvent {}

    /**
     * The peer identified itself (first identify or a push); its protocols, addresses and agent
     * are in the peerstore now.
     */
    record PeerIdentified(PeerId peer, Connection connection) implements HostEvent {}
}
