package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * Whole nodes on loopback: Alice has three really linked devices and Bob is her contact. Each of
 * Alice's devices is switched off during a different phase while Bob and the devices that are up
 * exchange messages; once all three are back, every device shows every message once, in the
 * same order.
 */
@Tag("slow")
class ThreeDevicesCatchUpTest {

    /** Messages per phase: half from Bob, half from Alice's devices that are up, alternating. */
    private static final int PER_PHASE = 50;

    /** The first message, sent while all three devices are up, plus three phases. */
    private static final int TOTAL = 1 + 3 * PER_PHASE;

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);
    private final List<String> sent = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void threeLinkedDevicesEachOffAtADifferentTimeEndWithTheSameHistory() throws Exception {
        AliceAndBob.Friends friends = talk.startBefriended(root);
        ParleyNode a1 = friends.a1();
        ParleyNode b = friends.b();
        ParleyNode a2 = nodes.startLinked(a1, root.resolve("a2"));
        ParleyNode a3 = nodes.startLinked(a1, root.resolve("a3"));
        nodes.chat.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", "while all are up");
        sent.add("incoming:while all are up");
        for (ParleyNode device : List.of(a1, a2, a3)) {
            ChatNodes.await("every device has the first message",
                    () -> talk.lines(device).contains("incoming:while all are up"));
        }

        nodes.stop(a3);
        exchange(1, b, a1, a2);
        awaitAll(a1, a2);

        nodes.stop(a1);
        ParleyNode a3Back = nodes.start(root.resolve("a3"));
        exchange(2, b, a2, a3Back);
        awaitAll(a2, a3Back);

        nodes.stop(a2);
        ParleyNode a1Back = nodes.start(root.resolve("a1"));
        exchange(3, b, a1Back, a3Back);
        awaitAll(a1Back, a3Back);

        ParleyNode a2Back = nodes.start(root.resolve("a2"));
        awaitAll(a1Back, a2Back, a3Back);

        for (ParleyNode device : List.of(a1Back, a2Back, a3Back)) {
            assertThat(nodes.devices(device).get("devices")).as("Alice's device list").hasSize(3);
        }
        List<String> ids = talk.ids(a1Back);
        assertThat(ids).hasSize(TOTAL);
        assertThat(new HashSet<>(ids)).as("no message twice").hasSize(TOTAL);
        assertThat(talk.ids(a2Back)).containsExactlyElementsOf(ids);
        assertThat(talk.ids(a3Back)).containsExactlyElementsOf(ids);
        List<String> lines = talk.lines(a1Back);
        assertThat(lines).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(talk.lines(a2Back)).containsExactlyElementsOf(lines);
        assertThat(talk.lines(a3Back)).containsExactlyElementsOf(lines);
    }

    /** One phase: Bob sends half the messages; the two Alice devices that are up send the rest in turn. */
    private void exchange(int phase, ParleyNode bob, ParleyNode alice, ParleyNode otherAlice) throws Exception {
        for (int i = 0; i < PER_PHASE / 2; i++) {
            String fromBob = "phase " + phase + " bob " + i;
            nodes.chat.post(bob, ApiPaths.MESSAGES, "contact", "alice", "text", fromBob);
            sent.add("incoming:" + fromBob);
            String fromAlice = "phase " + phase + " alice " + i;
            nodes.chat.post(i % 2 == 0 ? alice : otherAlice, ApiPaths.MESSAGES, "contact", "bob", "text", fromAlice);
            sent.add("outgoing:" + fromAlice);
        }
    }

    /** Waits until each of {@code devices} shows at least every message sent so far. */
    private void awaitAll(ParleyNode... devices) throws InterruptedException {
        int expected = sent.size();
        for (ParleyNode device : devices) {
            ChatNodes.await("a device shows all " + expected + " messages", () -> talk.ids(device).size() >= expected);
        }
    }
}
