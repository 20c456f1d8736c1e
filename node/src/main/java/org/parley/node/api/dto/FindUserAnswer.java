package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code POST /api/find-user}: the user as asked, the rendezvous key looked up, and the devices
 * found. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record FindUserAnswer(String peer, String rendezvousKey, List<DhtPeer> devices) {}
