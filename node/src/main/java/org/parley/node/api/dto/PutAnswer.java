package org.parley.node.api.dto;

/**
 * {@code POST /api/dht/put}: the record's sequence number and how many peers stored it. Immutable;
 * serialized by Jackson, field names are the API's contract.
 */
public record PutAnswer(String key, long seq, int storedOn) {}
