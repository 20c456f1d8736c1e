package org.parley.node.api.dto;

/**
 * One device of this user: its PeerId, libsignal device number, whether it is the device
 * answering, when it was added and last seen (ISO-8601; null if not seen since this node started),
 * and its sync state (null until the sync journal reports one). Immutable; serialized by Jackson,
 * field names are the API's contract.
 */
public record DeviceAnswer(String peerId, int number, boolean thisDevice, String added, String lastSeen,
        String sync) {}
