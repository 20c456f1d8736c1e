package org.parley.node.api.dto;

import java.util.List;

/** {@code GET /api/identities}: every identity of this node, oldest first. Immutable. */
public record IdentitiesAnswer(List<IdentityAnswer> identities) {}
