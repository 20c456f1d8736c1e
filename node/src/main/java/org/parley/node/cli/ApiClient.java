package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.parley.node.DataDir;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiJson;

/**
 * Calls a running node's API for the CLI subcommands, finding it through
 * {@code <data-dir>/api.json}. Turns every failure into a {@link CliException} whose message
 * tells the user what to do. Thread safe.
 */
public final class ApiClient {

    /** A loopback connection opens in microseconds; this long means nothing is there. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** DHT lookups on a large network take tens of seconds; a request never waits longer than this. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private final ApiEndpoint endpoint;
    private final DataDir dataDir;
    private final HttpClient http;

    ApiClient(ApiEndpoint endpoint, DataDir dataDir) {
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A client for the node running with {@code dataDir}.
     *
     * @throws CliException if no node is running there
     */
    public static ApiClient forDataDir(DataDir dataDir) throws CliException {
        try {
            return new ApiClient(ApiEndpoint.read(dataDir.apiFile()), dataDir);
        } catch (NoSuchFileException e) {
            throw new CliException("no node is running with data dir " + dataDir + ": start one with scripts/run"
                    + runHint(dataDir));
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** GET {@code path}, the JSON answer. */
    public JsonNode get(String path) throws CliException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** POST a JSON {@code body} to {@code path}, the JSON answer. */
    public JsonNode post(String path, Object body) throws CliException {
        byte[] json;
        try {
            json = ApiJson.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException("cannot encode request: " + e.getMessage(), e);
        }
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    private URI uri(String path) {
        return endpoint.baseUri().resolve(path);
    }

    private JsonNode send(HttpRequest.Builder request) throws CliException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request
                            .timeout(REQUEST_TIMEOUT)
                            .header("Authorization", "Bearer " + endpoint.token())
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CliException("the node that wrote " + dataDir.apiFile() + " (pid " + endpoint.pid()
                    + ") is not answering on " + endpoint.baseUri() + ": it has probably stopped;"
                    + " start one with scripts/run" + runHint(dataDir), e);
        } catch (HttpTimeoutException e) {
            throw new CliException("the node at " + endpoint.baseUri() + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new CliException("cannot reach the node at " + endpoint.baseUri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the node answered HTTP " + response.statusCode() + " with a body that is not JSON", e);
        }
        if (response.statusCode() / 100 != 2) {
            String message = body != null && body.hasNonNull("message")
                    ? body.get("message").asText()
                    : "HTTP " + response.statusCode();
            throw new CliException(message);
        }
        return body;
    }

    private static String runHint(DataDir dataDir) {
        return DataDir.defaultLocation().equals(dataDir) ? "" : " --data-dir " + dataDir;
    }
}
