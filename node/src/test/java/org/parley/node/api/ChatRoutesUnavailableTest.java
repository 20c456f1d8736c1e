package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where libsignal does not load, every chat endpoint answers 503 with the one reason, and the server serves on. */
class ChatRoutesUnavailableTest {

    @Test
    void chatEndpointsAnswer503WithTheReason() throws Exception {
        String reason = "end-to-end encrypted chat is off: Signal's native library (libsignal) does not load here";
        try (ApiServer server = ApiServer.start(0, "t0ken", List.of(ChatRoutes.unavailable(reason)));
                HttpClient http = HttpClient.newHttpClient()) {
            for (String path : List.of(ApiPaths.IDENTITIES, ApiPaths.CONTACTS, ApiPaths.REQUESTS)) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer t0ken").GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path).isEqualTo(503);
                assertThat(answer.body()).contains("\"unavailable\"").contains(reason);
            }
            HttpResponse<String> send = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + ApiPaths.MESSAGES))
                    .header("Authorization", "Bearer t0ken").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"contact\":\"bob\",\"text\":\"hi\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(send.statusCode()).isEqualTo(503);
        }
    }
}
