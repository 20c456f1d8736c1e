package org.parley.node.api.dto;

/**
 * {@code POST /api/dht/get}: the value as UTF-8 text (null if it is not text) and as base64; for a
 * /parley/ record these are its data, with its signer and sequence number (else null). Immutable;
 * serialized by Jackson, field names are the API's contract.
 */
public record GetAnswer(String key, String value, String valueBase64, int copies, String signer, Long seq) {}
