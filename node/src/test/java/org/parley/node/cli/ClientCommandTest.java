package org.parley.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.DataDir;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiException;
import org.parley.node.api.ApiJson;
import org.parley.node.api.ApiRoutes;
import org.parley.node.api.ApiServer;
import picocli.CommandLine;

/** The CLI's side of the API against a scripted server: finding the node, printing, exit codes. */
class ClientCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tellsTheUserToStartANodeWhenNoneIsRunning() {
        int exit = execute("id", "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString().strip()).isEqualTo("parley id: no node is running with data dir " + dir
                + ": start one with scripts/run --data-dir " + dir);
    }

    @Test
    void tellsTheUserWhenTheNodeThatWroteApiJsonIsGone() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long pid = ProcessHandle.current().pid();
        new ApiEndpoint(closedPort, "t", pid, "12D3KooWX").write(new DataDir(dir).apiFile());

        int exit = execute("--data-dir", dir.toString(), "peers");

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString()).contains("parley peers: the node that wrote " + dir.resolve("api.json")
                + " (pid " + pid + ") is not answering on http://127.0.0.1:" + closedPort + ": it has probably stopped;"
                + " start one with scripts/run --data-dir " + dir);
    }

    /** Regression: after kill -9 the CLI sent the stale token to whoever had the port, and said "wrong access token". */
    @Test
    void saysNoNodeIsRunningWhenTheProcessThatWroteApiJsonIsDead() throws Exception {
        serve(app -> app.get("/api/peers", ctx -> ctx.json(Map.of("peers", List.of()))));
        long deadPid = deadProcessId();
        new ApiEndpoint(server.port(), "token", deadPid, "12D3KooWX").write(new DataDir(dir).apiFile());

        int exit = execute("--data-dir", dir.toString(), "peers");

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString().strip()).isEqualTo("parley peers: no node is running with data dir " + dir
                + " (the node that wrote " + dir.resolve("api.json") + ", pid " + deadPid + ", has stopped without"
                + " removing it): start one with scripts/run --data-dir " + dir);
    }

    /** The pid may be alive but reused: a server that refuses the file's token is not the node. */
    @Test
    void saysTheServerOnTheStalePortIsNotTheNodeWhenItRefusesTheToken() throws Exception {
        serve(app -> app.get("/api/peers", ctx -> ctx.json(Map.of("peers", List.of()))));
        new ApiEndpoint(server.port(), "stale-token", ProcessHandle.current().pid(), "12D3KooWX")
                .write(new DataDir(dir).apiFile());

        int exit = execute("--data-dir", dir.toString(), "peers");

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString().strip()).isEqualTo("parley peers: the server on http://127.0.0.1:" + server.port()
                + " refused the token in " + dir.resolve("api.json") + ", so it is not the node that wrote that file"
                + " (pid " + ProcessHandle.current().pid() + "); no node of this data dir is answering: start one"
                + " with scripts/run --data-dir " + dir);
    }

    /** A server that is not a Parley node at all answers HTML. */
    @Test
    void saysTheServerOnTheStalePortIsNotTheNodeWhenItAnswersNoJson() throws Exception {
        serve(app -> app.get("/api/peers", ctx -> ctx.html("<h1>hello</h1>")));

        int exit = execute("--data-dir", dir.toString(), "peers");

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString().strip()).isEqualTo("parley peers: the server on http://127.0.0.1:" + server.port()
                + " answered HTTP 200 with a body that is not JSON: it is not the node of " + dir.resolve("api.json")
                + "; start one with scripts/run --data-dir " + dir);
    }

    @Test
    void aPingCountOutOfRangeIsAUsageError() {
        int exit = execute("--data-dir", dir.toString(), "ping", "12D3KooWA", "-c", "0");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("-c/--count must be 1..100, got 0").contains("Usage:");
    }

    @Test
    void printsTextByDefault() throws Exception {
        serve(app -> app.get("/api/id", ctx -> ctx.json(Map.of(
                "peerId", "12D3KooWA",
                "rendezvousKey", "QmR",
                "agentVersion", "parley/0.1.0",
                "addresses", List.of("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA")))));

        int exit = execute("id", "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).isEqualTo("""
                peer-id: 12D3KooWA
                rendezvous: QmR
                agent: parley/0.1.0
                listen: /ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA
                """);
    }

    @Test
    void printsTheApisJsonWithJsonOption() throws Exception {
        serve(app -> app.get("/api/peers", ctx -> ctx.json(Map.of("peers", List.of()))));

        int exit = execute("--data-dir", dir.toString(), "peers", "--json");

        assertThat(exit).isEqualTo(ExitCode.OK);
        JsonNode printed = ApiJson.MAPPER.readTree(out.toString());
        assertThat(printed.get("peers").isArray()).isTrue();
    }

    @Test
    void sendsPingTargetsAsPeerOrMultiaddr() throws Exception {
        serve(app -> app.post("/api/ping", ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(Map.of("peerId", body.has("peer") ? "by-peer" : "by-multiaddr",
                    "rttMs", List.of(1.5), "averageMs", 1.5, "count", body.get("count").asInt()));
        }));

        execute("--data-dir", dir.toString(), "ping", "12D3KooWA", "-c", "1");
        execute("--data-dir", dir.toString(), "ping", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWA", "--count", "1");

        assertThat(out.toString()).isEqualTo("""
                pong from by-peer: 1.500 ms
                average: 1.500 ms
                pong from by-multiaddr: 1.500 ms
                average: 1.500 ms
                """);
    }

    @Test
    void printsTheNodesErrorMessageAndFails() throws Exception {
        serve(app -> app.post("/api/dht/find-peer", ctx -> {
            throw ApiException.notFound("peer 12D3KooWB was not found in the DHT");
        }));

        int exit = execute("--data-dir", dir.toString(), "dht", "find-peer", "12D3KooWB");

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString().strip()).isEqualTo("parley dht find-peer: peer 12D3KooWB was not found in the DHT");
    }

    @Test
    void printsARoutingTableBucketByBucket() throws Exception {
        serve(app -> app.get("/api/dht/routing-table", ctx -> ctx.json(Map.of(
                "mode", "server", "size", 2,
                "buckets", List.of(Map.of("index", 255, "peers", List.of(
                        Map.of("peerId", "12D3KooWA"), Map.of("peerId", "12D3KooWB"))))))));

        execute("--data-dir", dir.toString(), "dht", "routing-table");

        assertThat(out.toString()).isEqualTo("""
                mode: server
                peers: 2
                bucket 255 (2 peers)
                  12D3KooWA
                  12D3KooWB
                """);
    }

    @Test
    void shareGivesUpAfterItsTimeoutAndSaysTheNodeGoesOn() throws Exception {
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        serve(app -> app.post("/api/files/share", ctx -> {
            answered.await(30, java.util.concurrent.TimeUnit.SECONDS); // a share that takes long
            ctx.json(Map.of("link", "magnet:?late"));
        }));
        Path file = java.nio.file.Files.writeString(dir.resolve("small.txt"), "hello");

        int exit = execute("--data-dir", dir.toString(), "share", "--timeout", "1", file.toString());
        answered.countDown();

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip()).startsWith("parley share: the node at ")
                .endsWith("did not answer within 1 s; the node goes on sharing the file: `parley transfers` lists it once it is ready");
    }

    @Test
    void shareOfASmallFileWaitsTheUsualTimeAndPrintsTheLink() throws Exception {
        serve(app -> app.post("/api/files/share", ctx -> ctx.json(Map.of("fileId", "f1", "kind", "share", "name", "small.txt",
                "state", "SEEDING", "link", "magnet:?xt=urn:parley:f1"))));
        Path file = java.nio.file.Files.writeString(dir.resolve("small.txt"), "hello");

        int exit = execute("--data-dir", dir.toString(), "share", file.toString());

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(out.toString().strip()).isEqualTo("magnet:?xt=urn:parley:f1");
        assertThat(err.toString()).as("no waiting notice for a small file").isEmpty();
    }

    @Test
    void aShareTimeoutBelowOneSecondIsAUsageError() {
        int exit = execute("--data-dir", dir.toString(), "share", "--timeout", "0", "x");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--timeout must be at least 1 second");
    }

    @Test
    void theShareWaitGrowsWithTheFileSize() {
        assertThat(ShareWait.timeoutFor(0)).isEqualTo(ApiClient.REQUEST_TIMEOUT);
        assertThat(ShareWait.timeoutFor(5)).isEqualTo(ApiClient.REQUEST_TIMEOUT.plusSeconds(1));
        assertThat(ShareWait.worthANotice(ShareWait.NOTICE_BYTES - 1)).isFalse();
        assertThat(ShareWait.worthANotice(ShareWait.NOTICE_BYTES)).isTrue();
        long tenGiB = 10L * 1024 * 1024 * 1024;
        assertThat(ShareWait.timeoutFor(tenGiB)).isEqualTo(ApiClient.REQUEST_TIMEOUT.plusSeconds(tenGiB / ShareWait.BYTES_PER_SECOND_FLOOR));
        assertThat(ShareWait.waitingMessage("/data/big.iso", tenGiB, ShareWait.timeoutFor(tenGiB)))
                .isEqualTo("sharing /data/big.iso (10.0 GiB): the node chunks, encrypts and hashes it first; waiting up to 12 min for its link");
    }

    private void serve(ApiRoutes routes) throws Exception {
        server = ApiServer.start(0, "token", List.of(routes));
        new ApiEndpoint(server.port(), "token", ProcessHandle.current().pid(), "12D3KooWA")
                .write(new DataDir(dir).apiFile());
    }

    /** The id of a process that has ended. */
    private static long deadProcessId() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private int execute(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
