package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code POST /api/dht/providers}. Immutable; serialized by Jackson, field names are the API's
 * contract.
 */
public record ProvidersAnswer(String key, List<DhtPeer> providers) {}
