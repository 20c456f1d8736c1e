package org.parley.node.api.dto;

/**
 * One sibling device's journal sync state in {@code GET /api/sync}: {@code state} is
 * {@code in-sync}, {@code behind}, {@code syncing}, {@code failed} or {@code never};
 * {@code lastSync} an ISO-8601 instant or null; {@code error} why the last exchange failed, or
 * null. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record SyncDeviceAnswer(String peerId, boolean online, String state, long behindBy, String lastSync,
        String error) {}
