package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/id}: who this node is; {@code rendezvousKey} is the base58btc multihash under
 * which this device announces itself as its user's device; {@code userId} and {@code inviteLink}
 * are those of the default identity (null when chat is off on this machine). Immutable; serialized by Jackson, field
 * names are the API's contract.
 */
public record IdAnswer(String peerId, String rendezvousKey, List<String> addresses, String agentVersion,
        List<String> protocols, String userId, String inviteLink) {}
