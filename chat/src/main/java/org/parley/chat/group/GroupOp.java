package org.parley.chat.group;

import java.util.Arrays;
import java.util.Objects;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;

/**
 * One membership operation before signing: the group, the hash of the operation it follows
 * (empty for a create), its author, when the author issued it, and the action. Immutable.
 */
public record GroupOp(ConversationId group, byte[] previous, UserId author, long issuedMillis, GroupAction action) {

    /** An operation's hash is SHA-256. */
    public static final int HASH_BYTES = 32;

    public GroupOp {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(action, "action");
        previous = previous.clone();
        boolean create = action instanceof GroupAction.Create;
        if (create ? previous.length != 0 : previous.length != HASH_BYTES) {
            throw new IllegalArgumentException(create ? "a create operation follows nothing"
                    : "an operation names the " + HASH_BYTES + "-byte hash of the one before, not " + previous.length
                            + " bytes");
        }
        if (issuedMillis < 0) {
            throw new IllegalArgumentException("issued time " + issuedMillis + " is negative");
        }
    }

    @Override
    public byte[] previous() {
        return previous.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupOp g && group.equals(g.group) && Arrays.equals(previous, g.previous)
                && author.equals(g.author) && issuedMillis == g.issuedMillis && action.equals(g.action);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, Arrays.hashCode(previous), author, issuedMillis, action);
    }
}
