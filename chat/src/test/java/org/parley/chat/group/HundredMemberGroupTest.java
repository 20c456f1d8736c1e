package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.group.GroupCluster.Member;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;

/**
 * A group of 100 members over in-memory stores and real pairwise sessions: created, three members
 * send, one is removed, another sends. Prints its figures (frames and bytes per message); asserts
 * on what every member shows, never on time.
 */
class HundredMemberGroupTest {

    private static final int MEMBERS = 100;

    @Test
    void aGroupOfAHundredWorks() throws Exception {
        GroupCluster cluster = new GroupCluster();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(cluster.add("m" + i));
        }
        Member admin = members.getFirst();
        List<UserId> invited = members.subList(1, MEMBERS).stream().map(Member::id).toList();
        GroupUpdate created = admin.engine.create("hundred", invited, 1);
        ConversationId group = created.changed().getFirst().group();
        cluster.take(admin, created);
        cluster.run();
        for (Member m : members) {
            assertThat(m.state(group).members()).hasSize(MEMBERS);
        }

        long framesBefore = cluster.framesSent;
        long bytesBefore = cluster.frameBytes;
        long start = System.nanoTime();
        for (Member sender : List.of(members.get(0), members.get(50), members.get(99))) {
            sender.send(group, "hello from " + sender.label);
        }
        cluster.run();
        long firstRoundNanos = System.nanoTime() - start;
        long firstRoundFrames = cluster.framesSent - framesBefore;
        long firstRoundBytes = cluster.frameBytes - bytesBefore;
        for (Member m : members) {
            assertThat(m.history()).isEqualTo(admin.history());
            assertThat(m.history()).hasSize(3);
        }

        Member removed = members.get(42);
        cluster.take(admin, admin.engine.issue(group, new GroupAction.Remove(removed.id()), 2));
        cluster.run();
        framesBefore = cluster.framesSent;
        bytesBefore = cluster.frameBytes;
        start = System.nanoTime();
        members.get(7).send(group, "after the removal");
        cluster.run();
        long oneMessageNanos = System.nanoTime() - start;
        for (Member m : members) {
            if (m == removed) {
                assertThat(m.history()).hasSize(3);
            } else {
                assertThat(m.history()).extracting(GroupText::text).last().isEqualTo("after the removal");
            }
        }
        System.out.printf("100-member group: 3 first messages (each with its sender key) %d pairwise frames, %d KiB,"
                + " %d ms in one JVM; after a removal, one message with a new key %d frames, %d KiB, %d ms%n",
                firstRoundFrames, firstRoundBytes / 1024, firstRoundNanos / 1_000_000,
                cluster.framesSent - framesBefore, (cluster.frameBytes - bytesBefore) / 1024,
                oneMessageNanos / 1_000_000);
    }
}
