package org.parley.node.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.chat.group.GroupLog;
import org.parley.chat.group.GroupOpCodec;
import org.parley.chat.group.GroupOpRejectedException;
import org.parley.chat.group.SignedGroupOp;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * The groups an identity is in, as device linking hands them from the existing device to the new
 * one: each group's signed operation chain and what the user made of the invitation. The new
 * device replays a chain as a member would (every signature, every rule) before it keeps it, so a
 * granting device cannot make it hold a history that members would refuse. Runs before chat
 * starts on the new device; the chat's group engine then restores the chains it finds. Thread safe.
 */
public final class GroupChains {

    /** One group as linking carries it; {@code membership} is invited, joined or declined. */
    public record Chain(ConversationId group, String membership, List<byte[]> ops) {
        public Chain {
            ops = List.copyOf(ops);
        }
    }

    private final GroupStore store;

    public GroupChains(NodeDatabase database, ColumnCipher cipher) {
        this.store = new GroupStore(database, cipher);
    }

    /** Every group {@code identity} holds a chain of, with its membership (joined when none was recorded). */
    public List<Chain> of(long identity) throws StorageException {
        List<Chain> out = new ArrayList<>();
        for (Map.Entry<ConversationId, List<byte[]>> e : store.chains(identity).entrySet()) {
            GroupStore.Membership membership = store.membership(identity, e.getKey())
                    .orElse(GroupStore.Membership.JOINED);
            out.add(new Chain(e.getKey(), membership.wireName(), e.getValue()));
        }
        return out;
    }

    /**
     * Keeps a chain another device of {@code self} granted, after replaying it.
     *
     * @throws IllegalArgumentException naming what is wrong: an operation that does not decode, a
     *     chain that fails the group rules, one of another group, one that never named {@code
     *     self} as a member, or an unknown membership
     */
    public void adopt(long identity, UserId self, Chain chain) throws StorageException {
        GroupStore.Membership membership = membership(chain.membership());
        List<SignedGroupOp> ops = new ArrayList<>();
        for (byte[] raw : chain.ops()) {
            try {
                ops.add(GroupOpCodec.decode(raw));
            } catch (PeerFaultException e) {
                throw new IllegalArgumentException("a group operation does not decode: " + e.getMessage(), e);
            }
        }
        GroupLog log;
        try {
            log = GroupLog.replay(ops);
        } catch (GroupOpRejectedException e) {
            throw new IllegalArgumentException("a group history fails the group rules: " + e.getMessage(), e);
        }
        if (!log.head().group().equals(chain.group())) {
            throw new IllegalArgumentException("a group history names another group than it is granted as");
        }
        // A member keeps the history of a group it left or was removed from: one that ever named it.
        boolean everMember = ops.stream().anyMatch(op -> op.op().author().equals(self))
                || log.head().isMember(self) || wasInvited(ops, self);
        if (!everMember) {
            throw new IllegalArgumentException("a group history does not include this identity");
        }
        store.saveChain(identity, chain.group(), chain.ops());
        store.setMembership(identity, chain.group(), membership);
    }

    private static boolean wasInvited(List<SignedGroupOp> ops, UserId self) {
        for (SignedGroupOp op : ops) {
            switch (op.op().action()) {
                case org.parley.chat.group.GroupAction.Create c when c.members().contains(self) -> {
                    return true;
                }
                case org.parley.chat.group.GroupAction.Add a when a.member().equals(self) -> {
                    return true;
                }
                default -> {
                    // Not an operation that made this identity a member.
                }
            }
        }
        return false;
    }

    private static GroupStore.Membership membership(String wire) {
        Optional<GroupStore.Membership> m = java.util.Arrays.stream(GroupStore.Membership.values())
                .filter(v -> v.wireName().equals(wire)).findFirst();
        return m.orElseThrow(() -> new IllegalArgumentException("unknown group membership '" + wire + "'"));
    }
}
