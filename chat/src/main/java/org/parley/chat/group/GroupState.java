package org.parley.chat.group;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;

/**
 * A group after some prefix of its operation chain: name, members with roles (in the order they
 * joined), the epoch (how many operations were applied, less one) and the hash of the last
 * operation. Every operation starts a new epoch, whose sender keys are named by
 * {@link #distributionId()}, derived from that hash, so all members agree on it. Immutable.
 */
public record GroupState(ConversationId group, String name, Map<UserId, GroupRole> members, int epoch, byte[] head) {

    public GroupState {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        head = head.clone();
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    public boolean isMember(UserId user) {
        return members.containsKey(user);
    }

    public boolean isAdmin(UserId user) {
        return members.get(user) == GroupRole.ADMIN;
    }

    /** The libsignal distribution id of this epoch's sender keys: the first 128 bits of the head hash. */
    public UUID distributionId() {
        ByteBuffer b = ByteBuffer.wrap(head);
        return new UUID(b.getLong(), b.getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupState s && group.equals(s.group) && name.equals(s.name) && members.equals(s.members)
                && epoch == s.epoch && java.util.Arrays.equals(head, s.head);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, epoch, java.util.Arrays.hashCode(head));
    }
}
