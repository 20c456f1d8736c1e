package org.parley.node.api.dto;

/** One conversation: the contact, its label, and the latest message if any. Immutable. */
public record ConversationAnswer(String contact, String label, MessageAnswer latest) {}
