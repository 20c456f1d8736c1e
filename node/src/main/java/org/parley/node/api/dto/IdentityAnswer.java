package org.parley.node.api.dto;

/**
 * One user identity of this node: its user ID, display name, invite link (with this device's
 * addresses), rendezvous key (base58btc multihash), creation time, whether it is retired and
 * whether it is the default one. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record IdentityAnswer(String userId, String displayName, String inviteLink, String rendezvousKey,
        String createdAt, boolean retired, boolean isDefault) {}
