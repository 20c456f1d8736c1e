package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API against clients that misbehave at the HTTP level: Jetty's own refusals answer JSON, a
 * client trickling its request head is cut, and connections beyond the cap wait.
 */
class ApiServerLimitsTest {

    private static final String TOKEN = "test-token-1234";
    /** Far below the default, so the test does not wait ten seconds; far above a request's real head time. */
    private static final Duration SHORT_DEADLINE = Duration.ofMillis(500);

    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersAMalformedRequestLineWithJson400() throws Exception {
        start(ApiLimits.DEFAULTS);

        RawHttp.Response response = RawHttp.exchange(server.port(), ascii("BLAH\u0001 / HTTP/1.1\r\n\r\n"));

        assertJsonError(response, 400, "bad_request", "the request is not valid HTTP/1.1");
    }

    @Test
    void answersAnOversizedHeaderBlockWithJson431() throws Exception {
        start(ApiLimits.DEFAULTS);

        RawHttp.Response response = RawHttp.exchange(server.port(), ascii("GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Filler: " + "a".repeat(ApiServer.MAX_REQUEST_HEADER_BYTES + 1) + "\r\nConnection: close\r\n\r\n"));

        assertJsonError(response, 431, "too_large", "the request headers are larger than the API takes (8192 bytes)");
    }

    @Test
    void answersAnOversizedUriWithJson414() throws Exception {
        start(ApiLimits.DEFAULTS);

        RawHttp.Response response = RawHttp.exchange(server.port(), ascii("GET /api/" + "a".repeat(
                ApiServer.MAX_REQUEST_HEADER_BYTES + 1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));

        assertJsonError(response, 414, "too_large", "the request URI is longer than the API takes; send data in a JSON body");
    }

    @Test
    void answersAnOversizedBodyWithJson413() throws Exception {
        start(ApiLimits.DEFAULTS);

        RawHttp.Response response = RawHttp.exchange(server.port(), ascii("POST /api/echo HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (ApiJson.MAX_REQUEST_BYTES + 1)
                + "\r\nConnection: close\r\n\r\n" + "x".repeat(ApiJson.MAX_REQUEST_BYTES + 1)));

        assertJsonError(response, 413, "too_large", "the request body is larger than the API takes (65536 bytes)");
    }

    @Test
    void cutsAClientThatTricklesItsRequestHead() throws Exception {
        start(new ApiLimits(SHORT_DEADLINE, ApiLimits.DEFAULT_MAX_CONNECTIONS));
        byte[] head = ascii("GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nX-Slow: "
                + "a".repeat(1000) + "\r\n\r\n");
        AtomicInteger sent = new AtomicInteger();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            Thread trickle = Thread.ofVirtual().start(() -> trickle(socket, head, sent));
            try {
                // The server closes the connection; a read then ends (or is reset) instead of timing out.
                InputStream in = socket.getInputStream();
                try {
                    assertThat(in.read()).isEqualTo(-1);
                } catch (IOException reset) {
                    assertThat(reset).isNotInstanceOf(SocketTimeoutException.class);
                }
            } finally {
                trickle.interrupt();
                trickle.join();
            }
        }
        assertThat(sent.get()).as("bytes sent before the cut").isLessThan(head.length);
    }

    @Test
    void aConnectionBeyondTheCapWaitsUntilAnotherCloses() throws Exception {
        start(new ApiLimits(ApiLimits.DEFAULT_HEADER_DEADLINE, 2));
        Socket first = open();
        Socket second = open();
        try (Socket third = open()) {
            // Two idle connections fill the cap: the third is not served while they stay open.
            sendHello(third);
            third.setSoTimeout(300);
            assertThatThrownBy(() -> third.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            first.close();
            third.setSoTimeout(10_000);
            RawHttp.Response response = RawHttp.read(third);
            assertThat(response.status()).isEqualTo(200);
        } finally {
            first.close();
            second.close();
        }
    }

    /** The deadline is for request heads: a WebSocket, upgraded from a request long done, stays open. */
    @Test
    void keepsAnUpgradedWebSocketOpenPastTheDeadline() throws Exception {
        start(new ApiLimits(SHORT_DEADLINE, ApiLimits.DEFAULT_MAX_CONNECTIONS));
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket socket = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws-echo"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket ws,
                                        CharSequence data, boolean last) {
                                    received.add(data.toString());
                                    ws.request(1);
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            // Waiting is the point here: the deadline's check runs on Jetty's scheduler, not a test clock.
            Thread.sleep(SHORT_DEADLINE.multipliedBy(3).toMillis());

            socket.sendText("still there?", true).get(10, TimeUnit.SECONDS);

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("still there?");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private void start(ApiLimits limits) throws IOException {
        ApiRoutes routes = app -> {
            app.ws("/api/ws-echo", ws -> ws.onMessage(ctx -> ctx.send(ctx.message())));
            app.get("/api/hello", ctx -> ctx.json(Map.of("hello", "world")));
            app.post("/api/echo", ctx -> ctx.json(Map.of("said", ApiJson.requiredText(ApiJson.body(ctx), "say"))));
        };
        server = ApiServer.start(0, TOKEN, List.of(routes), limits);
    }

    private Socket open() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private void sendHello(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(ascii("GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                + TOKEN + "\r\nConnection: close\r\n\r\n"));
        out.flush();
    }

    /** Sends {@code head} a byte every 20 ms, as a slowloris client does, until done or cut. */
    private static void trickle(Socket socket, byte[] head, AtomicInteger sent) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : head) {
                out.write(b);
                out.flush();
                sent.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            // Cut by the server, or the test is over.
        }
    }

    private static void assertJsonError(RawHttp.Response response, int status, String error, String message)
            throws IOException {
        assertThat(response.status()).as(response.head() + response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = ApiJson.MAPPER.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").asText()).isEqualTo(message);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
