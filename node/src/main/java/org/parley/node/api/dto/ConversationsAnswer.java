package org.parley.node.api.dto;

import java.util.List;

/** {@code GET /api/conversations}: the accepted contacts of one identity, each with its latest message. Immutable. */
public record ConversationsAnswer(String identity, List<ConversationAnswer> conversations) {}
