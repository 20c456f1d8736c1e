package org.parley.node.api.dto;

import java.util.List;

/**
 * One group as this identity sees it: its id (32 hex digits), name, epoch (how many membership
 * operations it has had), members with roles ({@code admin} or {@code member}), what the user made
 * of it ({@code invited}, {@code joined}, {@code declined}), whether the identity is still a
 * member and an admin, and, in the list of groups, the latest message (null when there is none, and
 * in the answers of group operations). Immutable.
 */
public record GroupAnswer(String groupId, String name, int epoch, List<GroupMemberAnswer> members, String membership,
        boolean member, boolean admin, MessageAnswer latest) {
}
