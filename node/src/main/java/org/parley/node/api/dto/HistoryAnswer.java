package org.parley.node.api.dto;

import java.util.List;

/** {@code POST /api/messages/history}: the messages with one contact, oldest first. Immutable. */
public record HistoryAnswer(String identity, String contact, List<MessageAnswer> messages) {}
