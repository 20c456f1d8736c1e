package org.parley.node.api.dto;

import java.util.List;

/** {@code GET /api/contacts} and {@code GET /api/requests}: the contacts (or pending requests) of one identity. Immutable. */
public record ContactsAnswer(String identity, List<ContactAnswer> contacts) {}
