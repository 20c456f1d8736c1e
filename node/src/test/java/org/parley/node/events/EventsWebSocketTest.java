package org.parley.node.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.dht.DhtConfig.ModePolicy;

/**
 * The {@code /api/events} WebSocket of a real node over loopback, with the JDK's WebSocket client:
 * a second node connects and the first one's socket reports it; wrong credentials are refused.
 */
class EventsWebSocketTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    /** Only a bound on waiting for the network; a working node answers in milliseconds. */
    private static final long WAIT_SECONDS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 6455 close code 1008. */
    private static final int POLICY_VIOLATION = 1008;

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final List<ParleyNode> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private ParleyNode a;

    @BeforeEach
    void startNode() throws Exception {
        a = start(dirA, List.of());
    }

    @AfterEach
    void stopNodes() {
        nodes.reversed().forEach(ParleyNode::close);
        client.close();
    }

    @Test
    void socketReportsAPeerThatConnects() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(eventsUri("?token=" + a.apiEndpoint().token()), collector(messages))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            awaitSubscribed();
            ParleyNode b = start(dirB, List.of(a.dialableAddresses().getFirst()));
            String peerB = b.host().peerId().toBase58();

            JsonNode event = awaitEvent(messages, NodeEvent.PeerConnected.TYPE, peerB);
            assertThat(event.get("direction").asText()).isEqualTo("inbound");
            assertThat(event.get("address").asText()).startsWith("/ip4/127.0.0.1/tcp/");
            // Identify follows the connection; the page reloads the peer's agent version on this.
            assertThat(awaitEvent(messages, NodeEvent.PeerIdentified.TYPE, peerB).size()).isEqualTo(2);

            b.close();
            // Should the nodes have dialed each other twice, the last of the closures says so.
            JsonNode gone = awaitEvent(messages, NodeEvent.PeerDisconnected.TYPE, peerB);
            while (!gone.get("lastConnection").asBoolean()) {
                gone = awaitEvent(messages, NodeEvent.PeerDisconnected.TYPE, peerB);
            }
            assertThat(gone.get("address").asText()).startsWith("/ip4/127.0.0.1/tcp/");
        } finally {
            socket.abort();
        }
    }

    @Test
    void theWebUiCookieWorksToo() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocketBuilder()
                .header("Cookie", "parley-token-" + a.apiEndpoint().port() + "=" + a.apiEndpoint().token())
                .buildAsync(eventsUri(""), collector(messages))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            awaitSubscribed();
            ParleyNode b = start(dirB, List.of(a.dialableAddresses().getFirst()));
            assertThat(awaitEvent(messages, NodeEvent.PeerConnected.TYPE, b.host().peerId().toBase58())).isNotNull();
        } finally {
            socket.abort();
        }
    }

    @Test
    void bearerHeaderWorksToo() throws Exception {
        WebSocket socket = client.newWebSocketBuilder()
                .header("Authorization", "Bearer " + a.apiEndpoint().token())
                .buildAsync(eventsUri(""), collector(new LinkedBlockingQueue<>()))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        socket.abort();
    }

    @Test
    void messageFromTheClientClosesTheSocketWithPolicyViolation() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(eventsUri("?token=" + a.apiEndpoint().token()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                })
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitSubscribed();

        socket.sendText("subscribe me to more", true).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(POLICY_VIOLATION);
        socket.abort();
    }

    @Test
    void wrongTokenIsRefusedWith401() {
        assertThat(handshakeStatus(client.newWebSocketBuilder(), "?token=not-the-token")).isEqualTo(401);
        assertThat(handshakeStatus(client.newWebSocketBuilder(), "")).isEqualTo(401);
        assertThat(a.events().subscriberCount()).isZero();
    }

    @Test
    void foreignOriginIsRefusedWith403EvenWithTheToken() {
        WebSocket.Builder builder = client.newWebSocketBuilder().header("Origin", "http://evil.example");

        assertThat(handshakeStatus(builder, "?token=" + a.apiEndpoint().token())).isEqualTo(403);
        assertThat(a.events().subscriberCount()).isZero();
    }

    private int handshakeStatus(WebSocket.Builder builder, String query) {
        Throwable failure = catchThrowable(() ->
                builder.buildAsync(eventsUri(query), collector(new LinkedBlockingQueue<>()))
                        .get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    /** The server subscribes in its connect handler, which may run just after the client's handshake. */
    private void awaitSubscribed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (a.events().subscriberCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(a.events().subscriberCount()).isEqualTo(1);
    }

    private static JsonNode awaitEvent(BlockingQueue<String> messages, String type, String peerId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String text = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            seen.add(text);
            JsonNode event = JSON.readTree(text);
            if (event.get("type").asText().equals(type) && event.path("peerId").asText().equals(peerId)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event for " + peerId + "; got " + seen);
    }

    private URI eventsUri(String query) {
        return URI.create("ws://127.0.0.1:" + a.apiEndpoint().port() + EventsWebSocket.PATH + query);
    }

    private static WebSocket.Listener collector(BlockingQueue<String> messages) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    private ParleyNode start(Path dir, List<Multiaddr> bootstrap) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(LOOPBACK_RANDOM_PORT), bootstrap,
                0, ModePolicy.SERVER));
        nodes.add(node);
        return node;
    }
}
