package org.parley.node.api.dto;

/** One member of a group: user ID, {@code admin} or {@code member}, and the local name of the contact if any. Immutable. */
public record GroupMemberAnswer(String userId, String role, String label) {}
