package org.parley.chat.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.parley.chat.group.GroupOpRejectedException.Reason;
import org.parley.chat.identity.UserId;

/**
 * One group's operation chain as this member holds it, and the state after each operation.
 *
 * <p>An operation is applied when it follows the head and {@link GroupRules} allow it. Two admins
 * may issue operations on the same previous one at once; every member resolves that fork the same
 * way, whatever order the operations arrive in: <b>the operation with the lower hash wins</b>. A
 * member that applied the higher one first drops it (and whatever it built on it) when the lower
 * one arrives; a higher one arriving second is refused as {@link Reason#LOST_FORK}. A fork is
 * open only within the last {@link #MAX_FORK_DEPTH} operations, and never to an author whom the
 * replaced operations remove (a removed admin cannot undo its removal). The author of
 * a dropped operation issues it again on the new head if it still makes sense (the node does that
 * for its own operations). Not thread safe.
 */
public final class GroupLog {

    /**
     * Operations in one group's history. A group changing membership daily lasts years within it,
     * and it bounds the state snapshots kept per epoch (up to 1,000 × {@link GroupAction#MAX_MEMBERS}).
     */
    public static final int MAX_OPS = 1_000;

    /**
     * How far back a competing operation may fork the chain: concurrent admins meet within a few
     * operations; anything older is a rewrite of settled history and is refused.
     */
    public static final int MAX_FORK_DEPTH = 16;

    private final List<SignedGroupOp> ops = new ArrayList<>();
    private final List<GroupState> states = new ArrayList<>();
    private final Map<UUID, Integer> epochs = new HashMap<>();

    /** The result of one applied operation: the new state, and operations the fork rule dropped (oldest first). */
    public record Applied(GroupState state, List<SignedGroupOp> dropped) {}

    /** A log starting with {@code create}. */
    public static GroupLog start(SignedGroupOp create) throws GroupOpRejectedException {
        GroupLog log = new GroupLog();
        log.append(GroupRules.apply(null, create), create);
        return log;
    }

    /** A log rebuilt from a stored chain, checking every operation again. */
    public static GroupLog replay(List<SignedGroupOp> chain) throws GroupOpRejectedException {
        if (chain.isEmpty()) {
            throw new GroupOpRejectedException(Reason.INVALID, "a group's history is never empty");
        }
        GroupLog log = start(chain.getFirst());
        for (SignedGroupOp op : chain.subList(1, chain.size())) {
            log.apply(op);
        }
        return log;
    }

    /**
     * Applies {@code signed} if it extends the chain, or wins a fork against an operation already
     * applied.
     *
     * @throws GroupOpRejectedException saying why it was refused; nothing changed
     */
    public Applied apply(SignedGroupOp signed) throws GroupOpRejectedException {
        for (SignedGroupOp known : ops) {
            if (known.equals(signed)) {
                throw new GroupOpRejectedException(Reason.REPLAYED, signed + " is already in the group's history");
            }
        }
        byte[] previous = signed.op().previous();
        if (previous.length == 0) {
            throw new GroupOpRejectedException(Reason.INVALID, "a group is created once; " + signed
                    + " would start its history again");
        }
        int last = ops.size() - 1;
        if (ops.get(last).hashEquals(previous)) {
            if (ops.size() >= MAX_OPS) {
                throw new GroupOpRejectedException(Reason.INVALID, "the group's history is full (" + MAX_OPS
                        + " operations): create a new group");
            }
            append(GroupRules.apply(states.get(last), signed), signed);
            return new Applied(head(), List.of());
        }
        for (int j = last - 1; j >= 0; j--) {
            if (ops.get(j).hashEquals(previous)) {
                if (last - j > MAX_FORK_DEPTH) {
                    throw new GroupOpRejectedException(Reason.WRONG_PREVIOUS, signed + " forks the history "
                            + (last - j) + " operations back; at most " + MAX_FORK_DEPTH + " are open to a fork");
                }
                for (SignedGroupOp later : ops.subList(j + 1, ops.size())) {
                    if (later.op().action() instanceof GroupAction.Remove r && r.member().equals(signed.op().author())) {
                        // Otherwise a removed admin could undo its removal with a competing operation.
                        throw new GroupOpRejectedException(Reason.NOT_MEMBER, signed.op().author()
                                + " was removed in the history this operation would replace");
                    }
                }
                SignedGroupOp rival = ops.get(j + 1);
                if (signed.compareHash(rival) > 0) {
                    throw new GroupOpRejectedException(Reason.LOST_FORK, signed + " competes with " + rival
                            + ", which has the lower hash and stays; rebase on the current head");
                }
                GroupState after = GroupRules.apply(states.get(j), signed);
                List<SignedGroupOp> dropped = new ArrayList<>(ops.subList(j + 1, ops.size()));
                truncate(j + 1);
                append(after, signed);
                return new Applied(head(), List.copyOf(dropped));
            }
        }
        throw new GroupOpRejectedException(Reason.WRONG_PREVIOUS, signed
                + " does not follow any operation of the group's history");
    }

    /** The current state. */
    public GroupState head() {
        return states.getLast();
    }

    /** The chain, oldest first. */
    public List<SignedGroupOp> ops() {
        return List.copyOf(ops);
    }

    /** The state that began the epoch of {@code distributionId}, if it is one of this chain's. */
    public Optional<GroupState> epoch(UUID distributionId) {
        Integer index = epochs.get(distributionId);
        return index == null ? Optional.empty() : Optional.of(states.get(index));
    }

    /** Whether {@code user} was a member in any state of this chain (a removed member too). */
    public boolean wasMember(UserId user) {
        return states.stream().anyMatch(s -> s.isMember(user));
    }

    private void append(GroupState state, SignedGroupOp op) {
        ops.add(op);
        states.add(state);
        epochs.put(state.distributionId(), states.size() - 1);
    }

    private void truncate(int size) {
        while (ops.size() > size) {
            ops.removeLast();
            epochs.remove(states.removeLast().distributionId());
        }
    }
}
