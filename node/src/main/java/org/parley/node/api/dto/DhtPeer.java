package org.parley.node.api.dto;

import java.util.List;

/**
 * A peer as the DHT knows it, its addresses ending in {@code /p2p/<PeerId>}. Immutable; serialized
 * by Jackson, field names are the API's contract.
 */
public record DhtPeer(String peerId, List<String> addresses) {}
