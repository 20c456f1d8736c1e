package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.parley.chat.group.GroupCluster.Member;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;

/**
 * Fuzz target for what a member does with a group's sender-key traffic and operations from a
 * peer: arbitrary distributions, ciphertexts and operation bytes in a real group are refused (or
 * left waiting), never thrown, and never change the group or show a message. See
 * {@link org.parley.libp2p.testing.FuzzChecks} for running a campaign, e.g.
 * {@code JAZZER_FUZZ=1 ./mvnw -pl chat -am test -Dtest='GroupMessageFuzzTest#receive' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GroupMessageFuzzTest {

    private static final GroupCluster CLUSTER = new GroupCluster();
    private static final Member ANN = CLUSTER.add("ann");
    private static final Member BOB = CLUSTER.add("bob");
    private static final ConversationId GROUP;

    static {
        GroupUpdate created = ANN.engine.create("fuzz", List.of(BOB.id()), 1);
        GROUP = created.changed().getFirst().group();
        CLUSTER.take(ANN, created);
        CLUSTER.run();
        ANN.send(GROUP, "seen");
        CLUSTER.run();
    }

    @FuzzTest
    void receive(FuzzedDataProvider data) {
        GroupState before = BOB.state(GROUP);
        int shown = BOB.shown.size();
        byte[] payload = data.consumeBytes(ChatContent.MAX_GROUP_PAYLOAD_BYTES);
        int choice = data.consumeInt(0, 2);
        GroupUpdate update;
        if (choice == 2) {
            byte[] rest = data.consumeRemainingAsBytes();
            if (rest.length == 0 || rest.length > ChatContent.MAX_GROUP_OP_BYTES) {
                return;
            }
            update = BOB.engine.receive(ANN.address(), new ChatContent.GroupOps(GROUP, List.of(rest)));
            assertThat(update.changed()).isEmpty();
        } else {
            if (payload.length == 0) {
                return;
            }
            ChatContent.GroupPayloadKind kind = ChatContent.GroupPayloadKind.values()[choice];
            update = BOB.engine.receive(ANN.address(), new ChatContent.GroupMessage(GROUP, ANN.id(), 1, kind, payload));
        }
        assertThat(update.texts()).isEmpty();
        assertThat(update.deliveries()).isEmpty();
        assertThat(BOB.state(GROUP)).isEqualTo(before);
        assertThat(BOB.shown).hasSize(shown);
    }
}
