package org.parley.chat.group;

import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.chat.group.GroupOpRejectedException.Reason;
import org.parley.chat.identity.UserId;

/**
 * What one operation does to a group's state, and whether it may: the signature is the author's;
 * the author is a member; only admins add, remove, rename and promote (anyone may leave); the
 * target makes sense. When the last admin leaves, the longest-standing remaining member becomes
 * admin, so a group is never left without one. Stateless; the chain itself is {@link GroupLog}'s.
 */
final class GroupRules {

    private GroupRules() {}

    /** The state after {@code signed}, which follows {@code before} (null for the first operation). */
    static GroupState apply(GroupState before, SignedGroupOp signed) throws GroupOpRejectedException {
        GroupOp op = signed.op();
        if (!signed.signatureVerifies()) {
            throw new GroupOpRejectedException(Reason.BAD_SIGNATURE, "the signature of " + signed
                    + " is not its author's");
        }
        UserId author = op.author();
        if (before == null) {
            if (!(op.action() instanceof GroupAction.Create create)) {
                throw new GroupOpRejectedException(Reason.WRONG_PREVIOUS, "a group's history starts with its create, not "
                        + signed);
            }
            if (create.members().contains(author)) {
                throw new GroupOpRejectedException(Reason.INVALID, "a create names its author among the invited");
            }
            Map<UserId, GroupRole> members = new LinkedHashMap<>();
            members.put(author, GroupRole.ADMIN);
            create.members().forEach(m -> members.put(m, GroupRole.MEMBER));
            return new GroupState(op.group(), create.name(), members, 0, signed.hash());
        }
        if (!op.group().equals(before.group())) {
            throw new GroupOpRejectedException(Reason.INVALID, signed + " belongs to another group");
        }
        if (!before.isMember(author)) {
            throw new GroupOpRejectedException(Reason.NOT_MEMBER, author + " is not a member of the group");
        }
        boolean leave = op.action() instanceof GroupAction.Leave;
        if (!leave && !before.isAdmin(author)) {
            throw new GroupOpRejectedException(Reason.NOT_ADMIN, author + " is not an admin of the group");
        }
        Map<UserId, GroupRole> members = new LinkedHashMap<>(before.members());
        String name = before.name();
        switch (op.action()) {
            case GroupAction.Create c -> throw new GroupOpRejectedException(Reason.INVALID,
                    "a group is created once; this create comes after its history started");
            case GroupAction.Add a -> {
                if (members.containsKey(a.member())) {
                    throw new GroupOpRejectedException(Reason.INVALID, a.member() + " is already a member");
                }
                if (members.size() >= GroupAction.MAX_MEMBERS) {
                    throw new GroupOpRejectedException(Reason.INVALID, "the group is full: it has "
                            + GroupAction.MAX_MEMBERS + " members");
                }
                members.put(a.member(), GroupRole.MEMBER);
            }
            case GroupAction.Remove r -> {
                if (!members.containsKey(r.member())) {
                    throw new GroupOpRejectedException(Reason.INVALID, r.member() + " is not a member");
                }
                if (r.member().equals(author)) {
                    throw new GroupOpRejectedException(Reason.INVALID, "an admin who goes leaves; removing oneself"
                            + " is not an operation");
                }
                members.remove(r.member());
            }
            case GroupAction.Leave l -> {
                members.remove(author);
                if (!members.isEmpty() && !members.containsValue(GroupRole.ADMIN)) {
                    members.put(members.keySet().iterator().next(), GroupRole.ADMIN);
                }
            }
            case GroupAction.Rename r -> name = r.name();
            case GroupAction.Promote p -> {
                GroupRole role = members.get(p.member());
                if (role == null) {
                    throw new GroupOpRejectedException(Reason.INVALID, p.member() + " is not a member");
                }
                if (role == GroupRole.ADMIN) {
                    throw new GroupOpRejectedException(Reason.INVALID, p.member() + " is already an admin");
                }
                members.put(p.member(), GroupRole.ADMIN);
            }
        }
        return new GroupState(before.group(), name, members, before.epoch() + 1, signed.hash());
    }
}
