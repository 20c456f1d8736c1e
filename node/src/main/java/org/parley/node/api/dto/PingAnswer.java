package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code POST /api/ping}: the round trips in milliseconds and their mean. Immutable; serialized by
 * Jackson, field names are the API's contract.
 */
public record PingAnswer(String peerId, int count, List<Double> rttMs, double averageMs) {}
