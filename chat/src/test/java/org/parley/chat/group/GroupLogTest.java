package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.group.GroupOpRejectedException.Reason;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** The chain rules without sender keys or sessions. */
class GroupLogTest {

    private static final ConversationId GROUP = ConversationId.random();
    private final IdentityKeyPair ann = IdentityKeyPair.generate();
    private final IdentityKeyPair bob = IdentityKeyPair.generate();
    private final IdentityKeyPair cat = IdentityKeyPair.generate();

    private static UserId id(IdentityKeyPair k) {
        return UserId.of(k.getPublicKey());
    }

    private SignedGroupOp op(IdentityKeyPair author, byte[] previous, GroupAction action) {
        return SignedGroupOp.sign(new GroupOp(GROUP, previous, id(author), 1, action), author);
    }

    private GroupLog created() throws GroupOpRejectedException {
        return GroupLog.start(op(ann, new byte[0], new GroupAction.Create("g", List.of(id(bob), id(cat)))));
    }

    @Test
    void theCreatorIsAdminAndEveryOperationStartsAnEpoch() throws Exception {
        GroupLog log = created();
        GroupState s0 = log.head();
        assertThat(s0.members()).containsExactly(java.util.Map.entry(id(ann), GroupRole.ADMIN),
                java.util.Map.entry(id(bob), GroupRole.MEMBER), java.util.Map.entry(id(cat), GroupRole.MEMBER));
        log.apply(op(ann, s0.head(), new GroupAction.Promote(id(bob))));
        GroupState s1 = log.head();
        assertThat(s1.epoch()).isEqualTo(1);
        assertThat(s1.distributionId()).isNotEqualTo(s0.distributionId());
        assertThat(log.epoch(s0.distributionId())).contains(s0);
        assertThat(log.epoch(s1.distributionId())).contains(s1);
        assertThat(GroupLog.replay(log.ops()).head()).isEqualTo(s1);
    }

    @Test
    void aMemberMayOnlyLeave() throws Exception {
        GroupLog log = created();
        byte[] head = log.head().head();
        assertThatThrownBy(() -> log.apply(op(bob, head, new GroupAction.Rename("mine"))))
                .isInstanceOf(GroupOpRejectedException.class).hasFieldOrPropertyWithValue("reason", Reason.NOT_ADMIN);
        log.apply(op(bob, head, new GroupAction.Leave()));
        assertThat(log.head().isMember(id(bob))).isFalse();
    }

    @Test
    void whenTheLastAdminLeavesTheLongestStandingMemberBecomesAdmin() throws Exception {
        GroupLog log = created();
        log.apply(op(ann, log.head().head(), new GroupAction.Leave()));
        assertThat(log.head().isAdmin(id(bob))).isTrue();
        assertThat(log.head().isAdmin(id(cat))).isFalse();
    }

    @Test
    void aForkIsResolvedTheSameWayInEitherOrder() throws Exception {
        GroupLog first = created();
        GroupLog second = GroupLog.replay(first.ops());
        SignedGroupOp promote = op(ann, first.head().head(), new GroupAction.Promote(id(bob)));
        first.apply(promote);
        second.apply(promote);
        byte[] fork = first.head().head();
        SignedGroupOp x = op(ann, fork, new GroupAction.Rename("x"));
        SignedGroupOp y = op(bob, fork, new GroupAction.Remove(id(cat)));
        SignedGroupOp winner = x.compareHash(y) < 0 ? x : y;
        SignedGroupOp loser = winner == x ? y : x;

        first.apply(loser);
        GroupLog.Applied switched = first.apply(winner);
        assertThat(switched.dropped()).containsExactly(loser);

        second.apply(winner);
        assertThatThrownBy(() -> second.apply(loser)).isInstanceOf(GroupOpRejectedException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.LOST_FORK);

        assertThat(first.head()).isEqualTo(second.head());
        assertThat(first.ops()).isEqualTo(second.ops());
        assertThat(first.epoch(new GroupState(GROUP, "x", java.util.Map.of(), 0, loser.hash()).distributionId()))
                .isEmpty();
    }

    @Test
    void aReplayAWrongPreviousAndASecondCreateAreRefused() throws Exception {
        GroupLog log = created();
        SignedGroupOp promote = op(ann, log.head().head(), new GroupAction.Promote(id(bob)));
        log.apply(promote);
        assertThatThrownBy(() -> log.apply(promote)).hasFieldOrPropertyWithValue("reason", Reason.REPLAYED);
        assertThatThrownBy(() -> log.apply(op(ann, new byte[32], new GroupAction.Rename("z"))))
                .hasFieldOrPropertyWithValue("reason", Reason.WRONG_PREVIOUS);
        assertThatThrownBy(() -> log.apply(op(ann, new byte[0], new GroupAction.Create("again", List.of()))))
                .hasFieldOrPropertyWithValue("reason", Reason.INVALID);
        assertThatThrownBy(() -> log.apply(op(ann, log.head().head(), new GroupAction.Add(id(cat)))))
                .hasFieldOrPropertyWithValue("reason", Reason.INVALID).hasMessageContaining("is already a member");
    }

    @Test
    void aRemovedAdminCannotForkAwayItsRemoval() throws Exception {
        GroupLog log = created();
        log.apply(op(ann, log.head().head(), new GroupAction.Promote(id(bob))));
        byte[] beforeRemoval = log.head().head();
        SignedGroupOp removal = op(ann, beforeRemoval, new GroupAction.Remove(id(bob)));
        log.apply(removal);
        // bob signs competing operations until one has a lower hash than his removal.
        SignedGroupOp competing;
        do {
            competing = op(bob, beforeRemoval, new GroupAction.Remove(id(ann)));
        } while (competing.compareHash(removal) > 0);
        SignedGroupOp attempt = competing;
        assertThatThrownBy(() -> log.apply(attempt)).hasFieldOrPropertyWithValue("reason", Reason.NOT_MEMBER)
                .hasMessageContaining("was removed in the history this operation would replace");
        assertThat(log.head().isMember(id(bob))).isFalse();
    }

    @Test
    void settledHistoryIsClosedToForks() throws Exception {
        GroupLog log = created();
        byte[] old = log.head().head();
        for (int i = 0; i <= GroupLog.MAX_FORK_DEPTH; i++) {
            log.apply(op(ann, log.head().head(), new GroupAction.Rename("name " + i)));
        }
        assertThatThrownBy(() -> log.apply(op(ann, old, new GroupAction.Rename("rewrite"))))
                .hasFieldOrPropertyWithValue("reason", Reason.WRONG_PREVIOUS).hasMessageContaining("at most 16");
    }
}
