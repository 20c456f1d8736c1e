package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {

    private static final String TOKEN = "test-token-1234";

    private ApiServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ApiRoutes routes = app -> {
            app.get("/api/hello", ctx -> ctx.json(Map.of("hello", "world")));
            app.post("/api/echo", ctx -> ctx.json(Map.of("said", ApiJson.requiredText(ApiJson.body(ctx), "say"))));
            app.get("/api/missing", ctx -> {
                throw ApiException.notFound("peer 12D3KooWX is not in the routing table");
            });
            app.get("/api/broken", ctx -> {
                throw new IllegalStateException("a bug");
            });
        };
        server = ApiServer.start(0, TOKEN, List.of(routes));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void acceptsTheTokenAsBearerHeader() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of("Authorization", "Bearer " + TOKEN));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("hello").asText()).isEqualTo("world");
    }

    @Test
    void acceptsTheTokenAsQueryParameter() throws Exception {
        assertThat(get("/api/hello?token=" + TOKEN, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void refusesARequestWithoutTokenWith401() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of());

        assertThat(response.status()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).get("message").asText()).isEqualTo("missing access token: open the URL the node"
                + " printed at start (api: http://127.0.0.1:" + port + "/?token=...), or send 'Authorization: Bearer"
                + " <token>' or ?token=<token>; the token is also in <data-dir>/api.json");
    }

    @Test
    void acceptsTheTokenInTheWebUiCookieOfItsPort() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of("Cookie", "other=1; parley-token-" + port + "=" + TOKEN));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void refusesTheCookieOfAnotherPortsNode() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of("Cookie", "parley-token-" + (port + 1) + "=" + TOKEN));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void refusesAWrongTokenInTheCookie() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of("Cookie", "parley-token-" + port + "=" + TOKEN + "x"));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void refusesAWrongTokenWith401() throws Exception {
        RawHttp.Response response = get("/api/hello", Map.of("Authorization", "Bearer " + TOKEN + "x"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("wrong access token (it changes at every start): open the URL the node printed at"
                        + " start, or use the token in <data-dir>/api.json");
    }

    @Test
    void refusesAForeignHostHeaderWith403EvenWithTheToken() throws Exception {
        RawHttp.Response response = RawHttp.send(port, "GET", "/api/hello",
                Map.of("Host", "attacker.example:" + port, "Authorization", "Bearer " + TOKEN), null);

        assertThat(response.status()).isEqualTo(403);
        assertThat(json(response).get("error").asText()).isEqualTo("forbidden");
        assertThat(json(response).get("message").asText()).isEqualTo("Host header 'attacker.example:" + port
                + "' is not this node's API; use http://127.0.0.1:" + port + "/");
    }

    @Test
    void refusesALoopbackHostHeaderWithAnotherPort() throws Exception {
        RawHttp.Response response = RawHttp.send(port, "GET", "/api/hello",
                Map.of("Host", "localhost:1", "Authorization", "Bearer " + TOKEN), null);

        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void acceptsLocalhostAndIpv6LoopbackHostNames() throws Exception {
        for (String host : List.of("localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port)) {
            RawHttp.Response response = RawHttp.send(port, "GET", "/api/hello",
                    Map.of("Host", host, "Authorization", "Bearer " + TOKEN), null);
            assertThat(response.status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void refusesAForeignOriginWith403() throws Exception {
        RawHttp.Response response = get("/api/hello",
                Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://attacker.example"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(json(response).get("message").asText()).isEqualTo("requests from origin 'http://attacker.example'"
                + " are not allowed; only the node's own web UI may call the API");
    }

    @Test
    void acceptsItsOwnOrigin() throws Exception {
        RawHttp.Response response = get("/api/hello",
                Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://127.0.0.1:" + port));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void checksTheTokenBeforeSayingWhetherAnEndpointExists() throws Exception {
        assertThat(get("/api/nothing-here", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void answersUnknownEndpointsWithJson404() throws Exception {
        RawHttp.Response response = get("/api/nothing-here", Map.of("Authorization", "Bearer " + TOKEN));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_found");
        assertThat(json(response).get("message").asText()).isEqualTo("no such endpoint: GET /api/nothing-here");
    }

    @Test
    void answersUnknownEndpointsWithJson404AlsoWhenJsonIsAccepted() throws Exception {
        RawHttp.Response response = get("/api/nothing-here",
                Map.of("Authorization", "Bearer " + TOKEN, "Accept", "application/json"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).isEqualTo("no such endpoint: GET /api/nothing-here");
    }

    @Test
    void keepsTheMessageOfAnEndpointsOwn404() throws Exception {
        RawHttp.Response response = get("/api/missing", Map.of("Authorization", "Bearer " + TOKEN));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).isEqualTo("peer 12D3KooWX is not in the routing table");
    }

    @Test
    void reportsABugAs500WithoutLeakingAStackTrace() throws Exception {
        RawHttp.Response response = get("/api/broken", Map.of("Authorization", "Bearer " + TOKEN));

        assertThat(response.status()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("internal");
        assertThat(json(response).get("message").asText()).isEqualTo("the node failed to handle this request;"
                + " its log (<data-dir>/logs/parley.log) says why");
        assertThat(response.body()).doesNotContain("at org.parley", "IllegalStateException", "a bug");
    }

    @Test
    void namesTheMissingFieldOfARequest() throws Exception {
        RawHttp.Response response = post("/api/echo", "{\"sai\": \"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo("missing field 'say'");
    }

    @Test
    void refusesABodyThatIsNotJson() throws Exception {
        RawHttp.Response response = post("/api/echo", "say=x");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).startsWith("request body is not valid JSON: ");
    }

    @Test
    void echoesAValidRequest() throws Exception {
        RawHttp.Response response = post("/api/echo", "{\"say\": \"hi\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("said").asText()).isEqualTo("hi");
    }

    @Test
    void answersNeverCacheableAndWithoutReferrer() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/hello"))
                        .header("Authorization", "Bearer " + TOKEN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // A JSON answer opened as a page may run nothing and be framed by nobody.
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    }

    private RawHttp.Response get(String path, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Host", "127.0.0.1:" + port);
        return RawHttp.send(port, "GET", path, all, null);
    }

    private RawHttp.Response post(String path, String body) throws Exception {
        return RawHttp.send(port, "POST", path, Map.of("Host", "127.0.0.1:" + port,
                "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"), body);
    }

    private static JsonNode json(RawHttp.Response response) throws Exception {
        return ApiJson.MAPPER.readTree(response.body());
    }
}
