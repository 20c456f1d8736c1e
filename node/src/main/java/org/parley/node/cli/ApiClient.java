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
    private static final int HTTP_UNAUTHORIZED = 401;

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
     * An answer of the node: its JSON as sent (what {@code --json} prints) and the same read into
     * the answer record.
     */
    public record Answer<T>(JsonNode json, T value) {}

    /**
     * A client for the node running with {@code dataDir}.
     *
     * @throws CliException if no node is running there: no api.json, or the process that wrote it
     *     is gone (killed without cleaning up)
     */
    public static ApiClient forDataDir(DataDir dataDir) throws CliException {
        ApiEndpoint endpoint;
        try {
            endpoint = ApiEndpoint.read(dataDir.apiFile());
        } catch (NoSuchFileException e) {
            throw noNode(dataDir, "");
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
        // After kill -9 the file stays behind, and its port may belong to someone else by now.
        if (!ProcessHandle.of(endpoint.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw noNode(dataDir, " (the node that wrote " + dataDir.apiFile() + ", pid " + endpoint.pid()
                    + ", has stopped without removing it)");
        }
        return new ApiClient(endpoint, dataDir);
    }

    /** GET {@code path}, the JSON answer read as {@code type}. */
    public <T> Answer<T> get(String path, Class<T> type) throws CliException {
        return read(send(HttpRequest.newBuilder(uri(path)).GET(), REQUEST_TIMEOUT, ""), type);
    }

    /** POST a JSON {@code body} to {@code path}, the JSON answer read as {@code type}. */
    public <T> Answer<T> post(String path, Object body, Class<T> type) throws CliException {
        return post(path, body, type, REQUEST_TIMEOUT, "");
    }

    /**
     * As {@link #post(String, Object, Class)}, waiting up to {@code timeout} for a request whose work
     * grows with its input (sharing a large file); {@code onTimeout} is added to the timeout message.
     */
    public <T> Answer<T> post(String path, Object body, Class<T> type, Duration timeout, String onTimeout) throws CliException {
        byte[] json;
        try {
            json = ApiJson.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException("cannot encode request: " + e.getMessage(), e);
        }
        return read(send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)), timeout, onTimeout), type);
    }

    private <T> Answer<T> read(JsonNode json, Class<T> type) throws CliException {
        try {
            return new Answer<>(json, ApiJson.MAPPER.treeToValue(json, type));
        } catch (IOException e) {
            throw new CliException("the node at " + endpoint.baseUri() + " gave an answer this CLI cannot read ("
                    + e.getMessage().lines().findFirst().orElse("") + "); is the CLI the same version as the node?", e);
        }
    }

    private URI uri(String path) {
        return endpoint.baseUri().resolve(path);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout, String onTimeout) throws CliException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request
                            .timeout(timeout)
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
                    + timeout.toSeconds() + " s" + onTimeout, e);
        } catch (IOException e) {
            throw new CliException("cannot reach the node at " + endpoint.baseUri() + ": "
                    + java.util.Objects.requireNonNullElse(e.getMessage(), "the connection failed"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
        if (response.statusCode() == HTTP_UNAUTHORIZED) {
            // The node that wrote api.json accepts its own token; whoever refuses it is someone else.
            throw new CliException("the server on " + endpoint.baseUri() + " refused the token in "
                    + dataDir.apiFile() + ", so it is not the node that wrote that file (pid " + endpoint.pid()
                    + "); no node of this data dir is answering: start one with scripts/run" + runHint(dataDir));
        }
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the server on " + endpoint.baseUri() + " answered HTTP " + response.statusCode()
                    + " with a body that is not JSON: it is not the node of " + dataDir.apiFile()
                    + "; start one with scripts/run" + runHint(dataDir), e);
        }
        if (body == null || !body.isObject()) {
            throw new CliException("the server on " + endpoint.baseUri() + " answered HTTP " + response.statusCode()
                    + " without a JSON object: it is not the node of " + dataDir.apiFile()
                    + "; start one with scripts/run" + runHint(dataDir));
        }
        if (response.statusCode() / 100 != 2) {
            String message = body != null && body.hasNonNull("message")
                    ? body.get("message").asText()
                    : "HTTP " + response.statusCode();
            throw new CliException(message);
        }
        return body;
    }

    private static CliException noNode(DataDir dataDir, String why) {
        return new CliException("no node is running with data dir " + dataDir + why + ": start one with scripts/run"
                + runHint(dataDir));
    }

    private static String runHint(DataDir dataDir) {
        return DataDir.defaultLocation().equals(dataDir) ? "" : " --data-dir " + dataDir;
    }
}
