package org.parley.node.api.dto;

import java.util.Map;

/**
 * {@code GET /api/conversations/unread}: per contact user ID ({@code unread}) and per group id
 * ({@code groups}), how many messages are received and not yet read (shown by the history or
 * marked read); those with none are absent. Kept by the node, so a reloaded page shows the same
 * counts. Immutable.
 */
public record UnreadAnswer(String identity, Map<String, Integer> unread, Map<String, Integer> groups) {}
