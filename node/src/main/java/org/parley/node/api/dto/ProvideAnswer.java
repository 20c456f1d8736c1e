package org.parley.node.api.dto;

/**
 * {@code POST /api/dht/provide}: the key as base58btc, and how many peers took the announcement.
 * Immutable; serialized by Jackson, field names are the API's contract.
 */
public record ProvideAnswer(String key, int announcedTo) {}
