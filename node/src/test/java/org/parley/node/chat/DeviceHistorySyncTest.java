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
 * Whole nodes on loopback: Alice's devices share one chat history through the sync journal. A
 * device linked after a conversation gets the past of it; what device 1 sends and receives shows
 * on device 2, once each; a device revoked afterwards has its new entries refused. A device
 * alone journals nothing, and journals its whole history once another device is linked.
 */
class DeviceHistorySyncTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLinkedDeviceGetsThePastConversationAndThenEverythingDeviceOneKeeps() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "before the link, from Bob");
        ChatNodes.await("device 1 has Bob's message",
                () -> talk.lines(a1).contains("incoming:before the link, from Bob"));
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "before the link, from Alice");

        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));

        ChatNodes.await("device 2 has the conversation from before the link", () -> talk.lines(a2).containsAll(
                List.of("incoming:before the link, from Bob", "outgoing:before the link, from Alice")));

        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "after the link, from Alice");
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "after the link, from Bob");
        ChatNodes.await("device 2 has both later messages", () -> talk.lines(a2).containsAll(
                List.of("outgoing:after the link, from Alice", "incoming:after the link, from Bob")));
        ChatNodes.await("both devices show the same history",
                () -> talk.ids(a1).equals(talk.ids(a2)) && talk.ids(a1).size() == 4);
        assertThat(talk.lines(a2)).containsExactlyElementsOf(talk.lines(a1));
        assertThat(new HashSet<>(talk.ids(a2))).hasSize(4);

        ChatNodes.await("device 2 lists device 1 as in sync", () -> talk.syncOf(a2, a1).startsWith("in sync"));
        ChatNodes.await("device 1 lists device 2 as in sync", () -> talk.syncOf(a1, a2).startsWith("in sync"));
    }

    @Test
    void aRevokedDevicesLaterEntriesAreRefused() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from the laptop");
        ChatNodes.await("device 1 holds device 2's entry", () -> talk.entriesOf(a1, a2.host().peerId()) > 0);
        ChatNodes.await("device 1 shows the laptop's message",
                () -> talk.lines(a1).contains("outgoing:from the laptop"));
        // Bob's receipt moves the message to delivered on the laptop, a second entry: wait until
        // device 1 holds it too, so that nothing journaled before the revoke arrives after it.
        ChatNodes.await("the laptop's message is delivered",
                () -> List.of("delivered", "read").contains(stateOn(a2, "from the laptop")));
        ChatNodes.await("device 1 holds all of device 2's entries",
                () -> talk.entriesOf(a1, a2.host().peerId()) == talk.entriesOf(a2, a2.host().peerId()));
        long held = talk.entriesOf(a1, a2.host().peerId());

        nodes.chat.post(a1, ApiPaths.DEVICES_REVOKE, "device", "2");
        nodes.chat.post(a2, ApiPaths.MESSAGES, "contact", "bob", "text", "from a revoked laptop");
        ChatNodes.await("device 2 journaled its message", () -> talk.entriesOf(a2, a2.host().peerId()) > held);
        nodes.chat.post(a2, ApiPaths.SYNC_RUN);

        assertThat(talk.entriesOf(a1, a2.host().peerId())).isEqualTo(held);
        assertThat(talk.lines(a1)).contains("outgoing:from the laptop")
                .doesNotContain("outgoing:from a revoked laptop");
    }

    @Test
    void aDeviceAloneJournalsNothingThenItsWholeHistoryForALinkedDeviceAndNothingAgainOnceAloneAgain()
            throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "while alone, from Bob");
        ChatNodes.await("device 1 has Bob's message", () -> talk.lines(a1).contains("incoming:while alone, from Bob"));
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "while alone, from Alice");
        ChatNodes.await("Alice's message is delivered",
                () -> stateOn(a1, "while alone, from Alice").equals("delivered"));

        assertThat(ChatNodes.rowsOf(a1, "history_journaling")).as("device 1 alone does not journal").isZero();
        assertThat(ChatNodes.rowsOf(a1, "history_outbox")).as("nothing waits for a journal").isZero();
        assertThat(talk.entriesOf(a1, a1.host().peerId())).as("entries of device 1").isZero();

        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        ChatNodes.await("device 2 has the conversation from before the link, with its state",
                () -> talk.lines(a2).containsAll(List.of("incoming:while alone, from Bob",
                        "outgoing:while alone, from Alice"))
                        && stateOn(a2, "while alone, from Alice").equals("delivered"));
        assertThat(ChatNodes.rowsOf(a1, "history_journaling")).as("device 1 journals for device 2").isEqualTo(1);

        nodes.chat.post(a1, ApiPaths.DEVICES_REVOKE, "device", "2");
        ChatNodes.await("device 1 alone again stops journaling",
                () -> ChatNodes.rowsOf(a1, "history_journaling") == 0);
        ChatNodes.await("what was queued before is journaled", () -> ChatNodes.rowsOf(a1, "history_outbox") == 0);
        long held = talk.entriesOf(a1, a1.host().peerId());
        nodes.chat.post(a1, ApiPaths.MESSAGES, "contact", "bob", "text", "alone again, from Alice");
        // The send returns once its transaction committed: it queued nothing for a journal.
        assertThat(ChatNodes.rowsOf(a1, "history_outbox")).isZero();
        ChatNodes.await("the message after the revoke is delivered",
                () -> stateOn(a1, "alone again, from Alice").equals("delivered"));
        assertThat(ChatNodes.rowsOf(a1, "history_outbox")).isZero();
        assertThat(talk.entriesOf(a1, a1.host().peerId())).isEqualTo(held);
    }


    /** The state of Alice's message {@code text} to Bob on {@code node}; "" while it is not there. */
    private String stateOn(ParleyNode node, String text) {
        try {
            for (com.fasterxml.jackson.databind.JsonNode m : nodes.chat.post(node, ApiPaths.HISTORY, "contact", "bob",
                    "limit", 100).get("messages")) {
                if (m.get("text").asText().equals(text)) {
                    return m.get("state").asText();
                }
            }
            return "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
