package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the harness alone: two js-libp2p peers driven through {@link JsPeer} talk to each other,
 * so a failure in the Java-to-js tests is about the Java side.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
class JsToJsInteropTest {

    private static final int TEN_MIB = 10 * 1024 * 1024;
    private static final int STREAMS = 100;

    private static JsPeer alice;
    private static JsPeer bob;

    @BeforeAll
    static void startPeersAndConnect() {
        alice = JsPeer.builder().name("alice").start();
        bob = JsPeer.builder().name("bob").start();
        alice.dial(bob.addr());
    }

    @AfterAll
    static void stopPeers() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @Test
    void listensOnLoopbackWithItsPeerIdInEveryAddress() {
        assertThat(alice.addrs()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.toString()).startsWith("/ip4/127.0.0.1/tcp/");
            assertThat(a.peerId()).isEqualTo(alice.peerId());
        });
    }

    @Test
    void dialReportsTheRemotesIdentify() {
        JsonNode id = alice.dial(bob.addr());

        assertThat(id.path("peer").asText()).isEqualTo(bob.peerId().toString());
        assertThat(id.path("agentVersion").asText()).isEqualTo(JsPeer.AGENT_VERSION);
        assertThat(texts(id.path("protocols")))
                .contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", JsPeer.ECHO_PROTOCOL, JsPeer.SINK_PROTOCOL)
                .doesNotContain("/ipfs/kad/1.0.0");
    }

    @Test
    void identifyOnTheInboundSideSeesTheDialer() {
        JsonNode id = bob.identify(alice.peerId());

        assertThat(id.path("peer").asText()).isEqualTo(alice.peerId().toString());
        assertThat(id.path("agentVersion").asText()).isEqualTo(JsPeer.AGENT_VERSION);
        assertThat(texts(id.path("listenAddrs"))).contains(alice.addr().withoutPeerId().toString());
    }

    @Test
    void pingsInBothDirections() {
        assertThat(alice.ping(bob.peerId())).isGreaterThanOrEqualTo(0);
        assertThat(bob.ping(alice.peerId())).isGreaterThanOrEqualTo(0);
    }

    @Test
    void echoesTenMebibytesIntact() {
        JsonNode r = alice.echo(bob.peerId(), TEN_MIB, 1);

        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("bytes").asInt()).isEqualTo(TEN_MIB);
    }

    @Test
    void runsOneHundredEchoStreamsAtOnceOnOneConnection() {
        JsonNode r = bob.echo(alice.peerId(), 64 * 1024, STREAMS);

        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("streams").asInt()).isEqualTo(STREAMS);
        assertThat(texts(bob.command("peers", Map.of()).path("peers").findValues("peer")))
                .containsExactly(alice.peerId().toString());
    }

    @Test
    void sinkAcknowledgesEveryByteSent() {
        JsonNode r = alice.benchSend(bob.peerId(), 8L * 1024 * 1024);

        assertThat(r.path("bytes").asLong()).isEqualTo(8L * 1024 * 1024);
        assertThat(r.path("mbPerSec").asDouble()).isPositive();
    }

    @Test
    void hangsUpAndTheRemoteSeesTheConnectionClose() {
        try (JsPeer carol = JsPeer.builder().name("carol").start()) {
            carol.dial(alice.addr());

            carol.command("hangup", Map.of("peer", alice.peerId().toString()));

            assertThat(carol.command("peers", Map.of()).path("peers")).isEmpty();
            alice.awaitEvent("connection-close", e -> e.path("peer").asText().equals(carol.peerId().toString()),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void answersAnUnknownCommandWithAnError() {
        assertThatThrownBy(() -> alice.command("teleport", Map.of()))
                .isInstanceOf(JsPeerException.class)
                .hasMessageStartingWith("js peer alice: teleport {} failed: unknown command \"teleport\"");
    }

    @Test
    void reportsAMissingArgument() {
        assertThatThrownBy(() -> alice.command("echo", Map.of("bytes", 1)))
                .isInstanceOf(JsPeerException.class)
                .hasMessageEndingWith("failed: Error: missing argument \"peer\"");
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }
}
