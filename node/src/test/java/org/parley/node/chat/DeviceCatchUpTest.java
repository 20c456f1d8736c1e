package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Whole nodes on loopback: Alice's device 2 is switched off while device 1 and Bob exchange 500
 * messages; when it starts again it catches up through the sync journal, and its history is
 * device 1's exactly, nothing missing and nothing twice.
 */
class DeviceCatchUpTest {

    /** Messages exchanged while device 2 is off, half each way. */
    private static final int MESSAGES = 500;

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aDeviceThatWasOffCatchesUpWithNothingMissingOrTwice() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "while both are up");
        ChatNodes.await("device 2 has the first message", () -> talk.lines(a2).contains("incoming:while both are up"));
        nodes.stop(a2);

        for (int i = 0; i < MESSAGES / 2; i++) {
            nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "bob " + i);
            nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "alice " + i);
        }
        ChatNodes.await("device 1 has every message", () -> talk.ids(a1).size() == MESSAGES + 1);

        ParleyNode back = nodes.start(root.resolve("a2"));
        ChatNodes.await("device 2 caught up", () -> talk.ids(back).size() >= MESSAGES + 1);

        List<String> ids = talk.ids(back);
        assertThat(ids).containsExactlyElementsOf(talk.ids(a1));
        assertThat(new HashSet<>(ids)).hasSize(MESSAGES + 1);
        assertThat(talk.lines(back)).containsExactlyElementsOf(talk.lines(a1));
        for (int i = 0; i < MESSAGES / 2; i++) {
            assertThat(talk.lines(back)).contains("incoming:bob " + i, "outgoing:alice " + i);
        }
    }
}
