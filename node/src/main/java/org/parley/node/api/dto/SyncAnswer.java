package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/sync}: this device, how many journal entries it holds, and each sibling
 * device's sync state. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record SyncAnswer(String peerId, long entries, List<SyncDeviceAnswer> devices) {}
