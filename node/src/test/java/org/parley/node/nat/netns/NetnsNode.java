package org.parley.node.nat.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.parley.node.DataDir;
import org.parley.node.Main;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiJson;

/**
 * A whole Parley node in a child JVM inside one of a {@link NatLab}'s namespaces, started with
 * this test's class path as {@code parley} would start it. Its API listens on 127.0.0.1 inside
 * that namespace, out of this JVM's reach, so the test calls it with curl run in the namespace.
 */
final class NetnsNode {

    /** Two cores shared by many JVMs: a node's start can take tens of seconds. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * One API call; a ping by PeerId (a DHT lookup, then a dial through the relay) takes seconds,
     * more on a machine whose cores many JVMs share.
     */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    private final String namespace;
    private final List<String> startLines;
    private final DataDir dataDir;
    private final Path log;

    private NetnsNode(String namespace, List<String> startLines, DataDir dataDir, Path log) {
        this.namespace = namespace;
        this.startLines = startLines;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * Starts a node in {@code namespace} on data dir {@code dir} with {@code options} after
     * {@code --data-dir} and {@code --api-port 0}, and waits until it prints {@code ready}.
     */
    static NetnsNode start(NatLab lab, String namespace, Path dir, List<String> options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // logback.xml, not the test class path's logback-test.xml: the child logs to stderr (a file
        // here), never into the stdout this test reads its start lines from.
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx384m",
                "-Dlogback.configurationFile=logback.xml", "-Dparley.log.dir=" + dir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dir.toString(), "--api-port", "0"));
        command.addAll(options);
        Path log = dir.resolveSibling(dir.getFileName() + ".err");
        Process process = lab.start(namespace, command, log);
        CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> readStartLines(process));
        try {
            List<String> lines = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new NetnsNode(namespace, lines, new DataDir(dir), log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the node in " + namespace + " did not print ready; its log is " + log, e);
        }
    }

    private static List<String> readStartLines(Process process) {
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("ready")) {
                    // Keep draining stdout, so the child never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> {
                        try {
                            out.transferTo(Writer.nullWriter());
                        } catch (IOException e) {
                            // The child ended.
                        }
                    });
                    return lines;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the child node's stdout ended before ready: " + lines);
    }

    /** The value of the start line {@code name: value}. */
    String startLine(String name) {
        return startLines.stream().filter(l -> l.startsWith(name + ": ")).findFirst()
                .map(l -> l.substring(name.length() + 2))
                .orElseThrow(() -> new AssertionError("no '" + name + "' start line in " + startLines));
    }

    String peerId() {
        return startLine("peer-id");
    }

    String userId() {
        return startLine("user-id");
    }

    /** Where the node's log (its stderr) goes, for failure messages. */
    Path log() {
        return log;
    }

    /** {@code GET path}; asserts a 200 and returns the parsed body. */
    JsonNode get(String path) throws Exception {
        return call(path, null);
    }

    /** {@code POST path} with the JSON {@code body}; asserts a 200 and returns the parsed body. */
    JsonNode post(String path, String body) throws Exception {
        return call(path, body);
    }

    /** The node's entry for {@code peerId} in {@code GET /api/peers}, or null when not connected. */
    JsonNode peer(String peerId) throws Exception {
        for (JsonNode peer : get("/api/peers").get("peers")) {
            if (peer.get("peerId").asText().equals(peerId)) {
                return peer;
            }
        }
        return null;
    }

    private JsonNode call(String path, String body) throws Exception {
        ApiEndpoint api = ApiEndpoint.read(dataDir.apiFile());
        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", String.valueOf(CALL_TIMEOUT.toSeconds()),
                "-H", "Authorization: Bearer " + api.token(), "-w", "\n%{http_code}"));
        if (body != null) {
            curl.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        curl.add("http://127.0.0.1:" + api.port() + path);
        String out = NatLab.execIn(namespace, curl.toArray(String[]::new)).strip();
        int split = out.lastIndexOf('\n');
        String status = out.substring(split + 1);
        String answer = split < 0 ? "" : out.substring(0, split);
        assertThat(status).as(path + " on the node in " + namespace + ": " + answer).isEqualTo("200");
        return ApiJson.MAPPER.readTree(answer);
    }
}
