package org.parley.node.api.dto;

import java.util.Map;

/**
 * {@code GET /api/conversations/unread}: per contact user ID, how many of their messages are
 * received and not yet read (shown by the history or marked read); contacts with none are absent.
 * Kept by the node, so a reloaded page shows the same counts. Immutable.
 */
public record UnreadAnswer(String identity, Map<String, Integer> unread) {}
