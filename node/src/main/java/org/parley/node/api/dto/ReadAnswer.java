package org.parley.node.api.dto;

/** {@code POST /api/messages/read}: how many messages from {@code contact} became read. Immutable. */
public record ReadAnswer(String identity, String contact, int marked) {}
