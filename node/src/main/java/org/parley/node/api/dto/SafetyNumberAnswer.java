package org.parley.node.api.dto;

/**
 * {@code POST /api/contacts/safety-number}: the 60-digit safety number of the conversation (the
 * same on both sides), grouped in fives, and whether the contact is marked verified. Immutable.
 */
public record SafetyNumberAnswer(String identity, String contact, String digits, String grouped, boolean verified) {}
