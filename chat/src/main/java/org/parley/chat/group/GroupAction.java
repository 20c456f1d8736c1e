package org.parley.chat.group;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.parley.chat.identity.UserId;

/** What one group operation does. Every limit is checked here, so an action that exists is one the codec can write. */
public sealed interface GroupAction {

    /** A group name, in code points: as long as a display name. */
    int MAX_NAME_LENGTH = 64;

    /**
     * Members of one group, creator included. The create operation names them all, and 512 keys of
     * 35 bytes (about 18 KiB) fit one envelope; every message is also delivered to each member
     * pairwise, and 512 deliveries per message is the practical ceiling of that fan-out.
     */
    int MAX_MEMBERS = 512;

    /** Starts a group: the author is its first admin, {@code members} are invited (author excluded). */
    record Create(String name, List<UserId> members) implements GroupAction {
        public Create {
            checkName(name);
            members = List.copyOf(members);
            if (members.size() > MAX_MEMBERS - 1) {
                throw new IllegalArgumentException("a group has at most " + MAX_MEMBERS + " members, creator included; "
                        + "this one would have " + (members.size() + 1));
            }
            if (new HashSet<>(members).size() != members.size()) {
                throw new IllegalArgumentException("a group's members are named once each");
            }
        }
    }

    /** Invites a member. */
    record Add(UserId member) implements GroupAction {
        public Add {
            Objects.requireNonNull(member, "member");
        }
    }

    /** Removes a member (not the author: an author who goes uses {@link Leave}). */
    record Remove(UserId member) implements GroupAction {
        public Remove {
            Objects.requireNonNull(member, "member");
        }
    }

    /** The author leaves. The only operation a member who is not an admin may sign. */
    record Leave() implements GroupAction {}

    /** Renames the group. */
    record Rename(String name) implements GroupAction {
        public Rename {
            checkName(name);
        }
    }

    /** Makes a member an admin. */
    record Promote(UserId member) implements GroupAction {
        public Promote {
            Objects.requireNonNull(member, "member");
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        int length = name.codePointCount(0, name.length());
        if (name.isBlank() || length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a group name has 1 to " + MAX_NAME_LENGTH + " characters, not "
                    + (name.isBlank() ? 0 : length));
        }
    }
}
