package org.parley.node.api.dto;

import java.util.List;

/** {@code GET /api/groups}: the groups of one identity (with {@code ?invitations=true}, only pending invitations). Immutable. */
public record GroupsAnswer(String identity, List<GroupAnswer> groups) {}
