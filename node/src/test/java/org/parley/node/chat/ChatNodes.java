package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiJson;
import org.parley.node.api.ApiPaths;
import org.parley.node.feature.Feature;

/**
 * Whole nodes on loopback TCP for the chat tests: a DHT server the others bootstrap from (so they
 * find each other only through its DHT), each node's API driven over HTTP as the CLI and the web
 * page drive it. Closes every node it started.
 */
final class ChatNodes implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);

    private final List<ParleyNode> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ParleyNode server;

    /** The server's first address, for nodes in child processes to bootstrap from. */
    Multiaddr serverAddress() {
        return server.dialableAddresses().getFirst();
    }

    /** Starts the DHT server every later node bootstraps from. */
    ParleyNode startServer(Path dir) throws Exception {
        server = start(dir, List.of(), 0);
        return server;
    }

    /** Starts a node with no bootstrap peer: it finds others only through address hints. */
    ParleyNode startAlone(Path dir) throws Exception {
        return start(dir, List.of(), 0);
    }

    /** Starts a node bootstrapped from the server, listening on {@code port} (0: any). */
    ParleyNode start(Path dir, int port) throws Exception {
        return start(dir, fromServer(), port);
    }

    /** Starts a node bootstrapped from the server, with cover traffic as {@code cover} says. */
    ParleyNode start(Path dir, org.parley.node.config.CoverTraffic cover) throws Exception {
        return started(ParleyNode.start(settings(dir, fromServer(), 0).withCoverTraffic(cover)));
    }

    /** Starts a node bootstrapped from the server with {@code features} in place of the default ones. */
    ParleyNode start(Path dir, List<Feature> features) throws Exception {
        return start(dir, features, InstantSource.system());
    }

    /** Starts a node bootstrapped from the server with {@code features}, on {@code clock}. */
    ParleyNode start(Path dir, List<Feature> features, InstantSource clock) throws Exception {
        return started(ParleyNode.start(settings(dir, fromServer(), 0), features, clock));
    }

    private ParleyNode start(Path dir, List<Multiaddr> bootstrap, int port) throws Exception {
        return started(ParleyNode.start(settings(dir, bootstrap, port)));
    }

    /** The settings every node here shares: loopback TCP on {@code port}, a DHT server, the API on any port. */
    private static NodeSettings settings(Path dir, List<Multiaddr> bootstrap, int port) {
        return new NodeSettings(new DataDir(dir), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port)), bootstrap,
                0, ModePolicy.SERVER);
    }

    /** The server's first address as the only bootstrap peer. */
    private List<Multiaddr> fromServer() {
        return List.of(server.dialableAddresses().getFirst());
    }

    /** Keeps {@code node} to close it with the others. */
    private ParleyNode started(ParleyNode node) {
        nodes.add(node);
        return node;
    }

    /** The TCP port the node listens on. */
    static int port(ParleyNode node) {
        String text = node.host().listenAddresses().getFirst().toString();
        return Integer.parseInt(text.substring(text.lastIndexOf('/') + 1));
    }

    void stop(ParleyNode node) {
        node.close();
        nodes.remove(node);
    }

    static String userId(ParleyNode node) {
        return node.userId().orElseThrow().text();
    }

    JsonNode post(ParleyNode node, String path, Object... fields) throws Exception {
        return post(node.apiEndpoint(), path, fields);
    }

    JsonNode post(ApiEndpoint api, String path, Object... fields) throws Exception {
        HttpResponse<String> response = postRaw(api, path, fields);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return ApiJson.MAPPER.readTree(response.body());
    }

    HttpResponse<String> postRaw(ParleyNode node, String path, Object... fields) throws Exception {
        return postRaw(node.apiEndpoint(), path, fields);
    }

    HttpResponse<String> postRaw(ApiEndpoint node, String path, Object... fields) throws Exception {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        for (int i = 0; i < fields.length; i += 2) {
            body.putPOJO((String) fields[i], fields[i + 1]);
        }
        HttpRequest request = HttpRequest.newBuilder(uri(node, path))
                .header("Authorization", "Bearer " + node.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(ParleyNode node, String path) throws Exception {
        return get(node.apiEndpoint(), path);
    }

    JsonNode get(ApiEndpoint node, String path) throws Exception {
        HttpResponse<String> response = getRaw(node, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return ApiJson.MAPPER.readTree(response.body());
    }

    HttpResponse<String> getRaw(ParleyNode node, String path) throws Exception {
        return getRaw(node.apiEndpoint(), path);
    }

    HttpResponse<String> getRaw(ApiEndpoint node, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(node, path))
                .header("Authorization", "Bearer " + node.token())
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ApiEndpoint node, String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    /** {@code x} asks {@code y} (named {@code yName} there), {@code y} accepts and names {@code x}; waits for both. */
    void befriend(ParleyNode x, String xName, ParleyNode y, String yName) throws Exception {
        post(x, ApiPaths.CONTACTS, "contact", userId(y), "name", yName);
        await(yName + " sees " + xName + "'s request", () -> contactState(y, userId(x)).equals("pending"));
        accept(x, xName, y, yName);
    }

    /** {@code y} accepts {@code x}'s pending request and names {@code x}; waits until {@code x} sees it accepted. */
    void accept(ParleyNode x, String xName, ParleyNode y, String yName) throws Exception {
        post(y, ApiPaths.CONTACTS_ACCEPT, "contact", userId(x));
        post(y, ApiPaths.CONTACTS, "contact", userId(x), "name", xName);
        await(xName + " sees " + yName + " accept", () -> contactState(x, userId(y)).equals("accepted"));
    }

    /** The contact's state at {@code node}, or empty if it is neither a contact nor a request there. */
    String contactState(ParleyNode node, String userId) {
        try {
            for (String path : List.of(ApiPaths.CONTACTS, ApiPaths.REQUESTS)) {
                for (JsonNode contact : get(node, path).get("contacts")) {
                    if (contact.get("userId").asText().equals(userId)) {
                        return contact.get("state").asText();
                    }
                }
            }
            return "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ids of the group invitations waiting at {@code node}. */
    List<String> invitations(ParleyNode node) {
        try {
            List<String> out = new ArrayList<>();
            JsonNode groups = get(node, ApiPaths.REQUESTS).get("groups");
            if (groups != null) {
                groups.forEach(g -> out.add(g.get("groupId").asText()));
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The texts of the latest 100 messages of {@code conversation} (a contact or a group) at {@code node}, oldest first. */
    List<String> texts(ParleyNode node, String conversation) {
        try {
            List<String> out = new ArrayList<>();
            post(node, ApiPaths.HISTORY, "contact", conversation, "limit", 100).get("messages")
                    .forEach(m -> out.add(m.get("text").asText()));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The states of the node's own messages to {@code contact} (its latest 10,000 messages). */
    Set<String> ownStates(ApiEndpoint node, String contact) {
        try {
            Set<String> states = new java.util.HashSet<>();
            for (JsonNode m : post(node, ApiPaths.HISTORY, "contact", contact, "limit", 10_000).get("messages")) {
                if (m.get("direction").asText().equals("outgoing")) {
                    states.add(m.get("state").asText());
                }
            }
            return states;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The rows of {@code table} in {@code node}'s database. */
    static long rowsOf(ParleyNode node, String table) {
        try {
            return node.storage().database().read(c -> {
                try (var select = c.prepareStatement("SELECT count(*) FROM " + table);
                        var rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until {@code condition} holds, checking every 50 ms, for state that only a store
     * query shows (the event bus covers the rest). Fails after {@link #WAIT}.
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        for (ParleyNode node : nodes.reversed()) {
            node.close();
        }
        nodes.clear();
        http.close();
    }
}
