package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.group.GroupCluster.Member;
import org.parley.chat.group.GroupOpRejectedException.Reason;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;

/** Five members in one JVM, with real sender keys and pairwise sessions: the group rules end to end. */
class GroupEngineTest {

    private GroupCluster cluster;
    private Member ann;
    private Member bob;
    private Member cat;
    private Member dan;
    private Member eve;
    private ConversationId group;

    @BeforeEach
    void createGroup() {
        cluster = new GroupCluster();
        ann = cluster.add("ann");
        bob = cluster.add("bob");
        cat = cluster.add("cat");
        dan = cluster.add("dan");
        eve = cluster.add("eve");
        GroupUpdate created = ann.engine.create("friends", List.of(bob.id(), cat.id(), dan.id(), eve.id()), 1);
        group = created.changed().getFirst().group();
        cluster.take(ann, created);
        cluster.run();
    }

    private List<Member> all() {
        return List.of(ann, bob, cat, dan, eve);
    }

    private void issue(Member admin, GroupAction action) throws GroupOpRejectedException {
        cluster.take(admin, admin.engine.issue(group, action, 2));
        cluster.run();
    }

    @Test
    void everyMemberSeesEveryMessageOnceInTheSameOrder() {
        for (Member m : all()) {
            assertThat(m.state(group).members()).hasSize(5);
            assertThat(m.state(group).name()).isEqualTo("friends");
        }
        for (Member m : all()) {
            m.send(group, "hello from " + m.label);
        }
        cluster.run();
        List<String> expected = ann.history().stream().map(GroupText::text).toList();
        assertThat(expected).containsExactlyInAnyOrder("hello from ann", "hello from bob", "hello from cat",
                "hello from dan", "hello from eve");
        for (Member m : all()) {
            assertThat(m.history()).isEqualTo(ann.history());
            assertThat(m.refusedMessages).isEmpty();
        }
    }

    @Test
    void aRemovedMemberReadsNothingSentAfterItsRemoval() throws Exception {
        ann.send(group, "before");
        cluster.run();
        assertThat(eve.history()).extracting(GroupText::text).containsExactly("before");
        issue(ann, new GroupAction.Remove(eve.id()));
        GroupState after = ann.state(group);
        assertThat(eve.state(group).isMember(eve.id())).isFalse();
        for (Member m : List.of(ann, bob, cat, dan)) {
            m.send(group, "after from " + m.label);
        }
        cluster.run();
        assertThat(eve.history()).extracting(GroupText::text).containsExactly("before");
        for (Member sender : List.of(ann, bob, cat, dan)) {
            assertThat(eve.stores.loadSenderKey(sender.address().toSignal(), after.distributionId())).isNull();
            assertThat(bob.history()).extracting(GroupText::text).contains("after from " + sender.label);
        }
        // Even handed the ciphertexts (a relay to a non-member is refused, so by hand), it cannot read them.
        GroupUpdate relayed = ann.engine.send(group, org.parley.chat.wire.MessageId.next(), cluster.now(), "secret");
        cluster.take(ann, relayed);
        ChatContent.GroupMessage ciphertext = relayed.deliveries().stream()
                .map(d -> (ChatContent.GroupMessage) d.content())
                .filter(c -> c.kind() == ChatContent.GroupPayloadKind.CIPHERTEXT).findFirst().orElseThrow();
        assertThat(ann.engine.relay(ciphertext, List.of(eve.id()))).isEmpty();
        cluster.deliver(ann, eve, ciphertext);
        cluster.run();
        assertThat(eve.history()).extracting(GroupText::text).containsExactly("before");
        assertThatThrownBy(() -> eve.send(group, "still here?")).hasMessageContaining("no longer a member");
    }

    @Test
    void aNewMemberCannotReadEarlierMessages() throws Exception {
        GroupUpdate early = ann.engine.send(group, org.parley.chat.wire.MessageId.next(), cluster.now(), "early");
        cluster.take(ann, early);
        cluster.run();
        Member fay = cluster.add("fay");
        issue(ann, new GroupAction.Add(fay.id()));
        assertThat(fay.state(group).members()).hasSize(6);
        // The earlier sender key and ciphertext, handed to fay anyway: refused, nothing shown.
        for (GroupDelivery d : early.deliveries()) {
            cluster.deliver(ann, fay, d.content());
        }
        cluster.run();
        assertThat(fay.history()).isEmpty();
        bob.send(group, "welcome fay");
        cluster.run();
        assertThat(fay.history()).extracting(GroupText::text).containsExactly("welcome fay");
        assertThat(bob.history()).extracting(GroupText::text).containsExactly("early", "welcome fay");
    }

    @Test
    void anOfflineMemberCatchesUpAcrossTwoChangesAndReadsWhatWasSentWhileItWasAway() throws Exception {
        dan.online = false;
        issue(ann, new GroupAction.Rename("old friends"));
        bob.send(group, "while dan is away, epoch 1");
        cluster.run();
        issue(ann, new GroupAction.Remove(eve.id()));
        cat.send(group, "while dan is away, epoch 2");
        cluster.run();
        assertThat(dan.history()).isEmpty();
        dan.online = true;
        cluster.run();
        assertThat(dan.state(group)).isEqualTo(ann.state(group));
        assertThat(dan.state(group).epoch()).isEqualTo(2);
        assertThat(dan.state(group).name()).isEqualTo("old friends");
        assertThat(dan.history()).extracting(GroupText::text)
                .containsExactly("while dan is away, epoch 1", "while dan is away, epoch 2");
        dan.send(group, "back");
        cluster.run();
        assertThat(ann.history()).extracting(GroupText::text).last().isEqualTo("back");
        assertThat(eve.history()).extracting(GroupText::text).containsExactly("while dan is away, epoch 1");
    }

    @Test
    void aRelayedCopyIsShownOnce() {
        GroupUpdate u = ann.engine.send(group, org.parley.chat.wire.MessageId.next(), cluster.now(), "relay me");
        ann.shown.addAll(u.texts());
        ChatContent.GroupMessage ciphertext = null;
        for (GroupDelivery d : u.deliveries()) {
            ChatContent.GroupMessage m = (ChatContent.GroupMessage) d.content();
            if (m.kind() == ChatContent.GroupPayloadKind.CIPHERTEXT) {
                ciphertext = m;
            }
            // ann reaches cat only with the key, not the message: bob relays it.
            if (!(d.to().equals(cat.id()) && m.kind() == ChatContent.GroupPayloadKind.CIPHERTEXT)) {
                cluster.deliver(ann, cluster.of(d.to()), m);
            }
        }
        cluster.run();
        assertThat(cat.history()).isEmpty();
        List<GroupDelivery> relays = bob.engine.relay(ciphertext, List.of(cat.id(), dan.id(), ann.id(), bob.id()));
        assertThat(relays).extracting(GroupDelivery::to).containsExactly(cat.id(), dan.id());
        for (GroupDelivery d : relays) {
            cluster.deliver(bob, cluster.of(d.to()), d.content());
        }
        cluster.run();
        assertThat(cat.history()).extracting(GroupText::text).containsExactly("relay me");
        assertThat(dan.history()).extracting(GroupText::text).containsExactly("relay me");
    }

    @Test
    void aForgedSenderKeyInSomeoneElsesNameIsRefused() {
        // bob hands out a key of his own under ann's name, to speak for her.
        byte[] bobsKey = bob.sessions.senderKeys().distribution(bob.state(group).distributionId());
        cluster.deliver(bob, cat, new ChatContent.GroupMessage(group, ann.id(), 1,
                ChatContent.GroupPayloadKind.SENDER_KEY, bobsKey));
        cluster.run();
        assertThat(cat.refusedMessages).anyMatch(r -> r.contains("a key is only taken from its owner"));
    }

    @Test
    void forgedOperationsAreRefusedByEveryMember() throws Exception {
        GroupState before = ann.state(group);
        // A non-admin's signature.
        SignedGroupOp byMember = SignedGroupOp.sign(new GroupOp(group, before.head(), bob.id(), 3,
                new GroupAction.Remove(cat.id())), bob.stores.getIdentityKeyPair());
        // An admin's operation signed by someone else's key.
        GroupOp asAnn = new GroupOp(group, before.head(), ann.id(), 3, new GroupAction.Rename("hijacked"));
        byte[] opBytes = GroupOpCodec.encodeOp(asAnn);
        byte[] badSignature = bob.stores.getIdentityKeyPair().getPrivateKey().calculateSignature(opBytes);
        SignedGroupOp forged = new SignedGroupOp(asAnn, opBytes, badSignature,
                GroupOpCodec.encodeSigned(opBytes, badSignature));
        // An admin's operation on a previous hash that is not the head.
        SignedGroupOp wrongPrevious = SignedGroupOp.sign(new GroupOp(group, new byte[32], ann.id(), 3,
                new GroupAction.Rename("elsewhere")), ann.stores.getIdentityKeyPair());
        // The create again: a replay.
        byte[] create = ann.engine.chain(group).getFirst();
        for (Member target : List.of(ann, cat, dan, eve)) {
            cluster.deliver(bob, target, new ChatContent.GroupOps(group, List.of(byMember.encoded(), forged.encoded(),
                    wrongPrevious.encoded(), create)));
        }
        cluster.deliver(cat, bob, new ChatContent.GroupOps(group, List.of(byMember.encoded(), forged.encoded(),
                wrongPrevious.encoded(), create)));
        cluster.run();
        for (Member m : all()) {
            assertThat(m.state(group)).isEqualTo(before);
            assertThat(m.refusedOps).extracting(GroupOpRejectedException::reason)
                    .containsExactly(Reason.NOT_ADMIN, Reason.BAD_SIGNATURE, Reason.WRONG_PREVIOUS, Reason.REPLAYED);
        }
        // And the same refusals for a user's own mistakes, before anything is sent.
        assertThatThrownBy(() -> bob.engine.issue(group, new GroupAction.Remove(cat.id()), 4))
                .isInstanceOf(GroupOpRejectedException.class).hasMessageContaining("is not an admin");
        Member stranger = cluster.add("stranger");
        assertThatThrownBy(() -> ann.engine.issue(group, new GroupAction.Remove(stranger.id()), 4))
                .isInstanceOf(GroupOpRejectedException.class).hasMessageContaining("is not a member");
    }

    @Test
    void aRemovedMembersOperationsAreRefused() throws Exception {
        issue(ann, new GroupAction.Promote(eve.id()));
        issue(ann, new GroupAction.Remove(eve.id()));
        GroupState before = ann.state(group);
        SignedGroupOp late = SignedGroupOp.sign(new GroupOp(group, before.head(), eve.id(), 5,
                new GroupAction.Remove(ann.id())), eve.stores.getIdentityKeyPair());
        for (Member target : List.of(ann, bob, cat, dan)) {
            cluster.deliver(eve, target, new ChatContent.GroupOps(group, List.of(late.encoded())));
        }
        cluster.run();
        for (Member m : List.of(ann, bob, cat, dan)) {
            assertThat(m.state(group)).isEqualTo(before);
            assertThat(m.refusedOps).extracting(GroupOpRejectedException::reason).containsExactly(Reason.NOT_MEMBER);
        }
    }

    @Test
    void concurrentOperationsOfTwoAdminsEndInTheSameHistoryEverywhere() throws Exception {
        issue(ann, new GroupAction.Promote(bob.id()));
        // Both admins act on the same head before hearing of each other.
        GroupUpdate byAnn = ann.engine.issue(group, new GroupAction.Rename("ann's name"), 10);
        GroupUpdate byBob = bob.engine.issue(group, new GroupAction.Remove(eve.id()), 10);
        cluster.take(ann, byAnn);
        cluster.take(bob, byBob);
        cluster.run();
        GroupState head = ann.state(group);
        for (Member m : List.of(bob, cat, dan)) {
            assertThat(m.state(group)).isEqualTo(head);
        }
        // The loser rebased: both changes are in, one after the other.
        assertThat(head.name()).isEqualTo("ann's name");
        assertThat(head.isMember(eve.id())).isFalse();
        assertThat(head.epoch()).isEqualTo(3);
    }

    @Test
    void membersTheSenderCannotReachGetTheMessageFromARelayAndShowItOnce() {
        // Everyone has ann's sender key for this epoch already.
        ann.send(group, "warm-up");
        cluster.run();
        GroupUpdate u = ann.engine.send(group, org.parley.chat.wire.MessageId.next(), cluster.now(), "to all",
                java.util.Set.of(dan.id(), eve.id()));
        ann.shown.addAll(u.texts());
        List<GroupDelivery> direct = new java.util.ArrayList<>();
        for (GroupDelivery d : u.deliveries()) {
            ChatContent.GroupMessage m = (ChatContent.GroupMessage) d.content();
            if (d.to().equals(dan.id()) || d.to().equals(eve.id())) {
                assertThat(m.relayTo()).isEmpty();
                direct.add(d);
            } else {
                cluster.deliver(ann, cluster.of(d.to()), m);
            }
        }
        assertThat(u.deliveries().stream().filter(d -> !((ChatContent.GroupMessage) d.content()).relayTo().isEmpty())
                .map(GroupDelivery::to)).hasSize(GroupEngine.RELAYERS).doesNotContain(dan.id(), eve.id());
        cluster.run();
        for (Member m : List.of(dan, eve)) {
            assertThat(m.history()).extracting(GroupText::text).containsExactly("warm-up", "to all");
        }
        // The sender's own copies arrive later (its durable outbox): nothing is shown twice.
        for (GroupDelivery d : direct) {
            cluster.deliver(ann, cluster.of(d.to()), d.content());
        }
        cluster.run();
        for (Member m : all()) {
            assertThat(m.history()).extracting(GroupText::text).containsExactly("warm-up", "to all");
        }
    }
}
