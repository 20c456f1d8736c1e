package org.parley.node.api.dto;

import java.util.List;

/**
 * One k-bucket of {@code GET /api/dht/routing-table}. Immutable; serialized by Jackson, field
 * names are the API's contract.
 */
public record Bucket(int index, List<DhtPeer> peers) {}
