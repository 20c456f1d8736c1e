package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code GET /api/dht/routing-table}: the DHT mode ({@code server} or {@code client}) and the non-
 * empty k-buckets. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record RoutingTableAnswer(String mode, int size, List<Bucket> buckets) {}
