package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.api.ApiJson;
import org.parley.node.api.ApiServer;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;
import org.slf4j.LoggerFactory;

/**
 * A user's mistakes against a whole node: each gets a 4xx (or exit code 1 or 2) with a message
 * that says what to do, names no Java class, and leaves no stack trace in the log.
 */
class UserMistakesTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @TempDir
    Path dir;

    private ParleyNode node;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void startNode() throws Exception {
        node = ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(LOOPBACK_RANDOM_PORT), List.of(), 0,
                ModePolicy.SERVER));
        log.start();
        rootLogger().addAppender(log);
    }

    @AfterEach
    void stop() {
        rootLogger().detachAppender(log);
        node.close();
    }

    /** Regression: the API answered 500 "java.lang.IllegalArgumentException: cannot connect to ourselves". */
    @Test
    void connectingToTheNodesOwnAddressIsABadRequest() throws Exception {
        String own = node.dialableAddresses().getFirst().toString();

        HttpResponse<String> answer = post("/api/connect", "{\"multiaddr\":\"" + own + "\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode body = ApiJson.MAPPER.readTree(answer.body());
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("message").asText()).isEqualTo(own + " is this node's own address; give the address of"
                + " another node (parley id prints this node's, on the other machine it prints that node's)");
        assertNoJavaAndNoStackTrace(body.get("message").asText());
    }

    @Test
    void connectingToTheNodesOwnAddressWithoutPeerIdIsABadRequestToo() throws Exception {
        String own = node.dialableAddresses().getFirst().withoutPeerId().toString();

        HttpResponse<String> answer = post("/api/connect", "{\"multiaddr\":\"" + own + "\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("message").asText())
                .startsWith(own + " is this node's own address");
    }

    /** Regression: exit 1 with "the node failed to handle this request: java.lang.IllegalArgumentException…". */
    @Test
    void connectingToAnAddressNoTransportDialsSaysWhichAddressesWork() {
        CliRun run = CliRun.run(dir, "connect", "/ip4/127.0.0.1/udp/1/quic-v1");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley connect: cannot dial /ip4/127.0.0.1/udp/1/quic-v1: none of"
                + " this node's transports dials it; give a TCP address such as /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW...");
        assertNoJavaAndNoStackTrace(run.err());
    }

    /** Regression: said "not found in the DHT". */
    @Test
    void pingingTheNodeItselfSaysSo() {
        String self = node.host().peerId().toBase58();

        CliRun run = CliRun.run(dir, "ping", self);

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley ping: " + self + " is this node's own PeerId; ping another"
                + " peer (parley peers lists the connected ones)");
        assertNoJavaAndNoStackTrace(run.err());
    }

    @Test
    void findingTheNodeItselfInTheDhtSaysWhereItsAddressesAre() {
        String self = node.host().peerId().toBase58();

        CliRun run = CliRun.run(dir, "dht", "find-peer", self);

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley dht find-peer: " + self + " is this node's own PeerId; its"
                + " addresses are what parley id prints");
        assertNoJavaAndNoStackTrace(run.err());
    }

    /** Regression: exited 1, not 2. */
    @Test
    void aPingCountOfZeroIsAUsageError() {
        CliRun run = CliRun.run(dir, "ping", node.host().peerId().toBase58(), "-c", "0");

        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("-c/--count must be 1..100, got 0");
    }

    /** Regression: said "bad PeerId 'key': CID is version 2 codec 0x1a". */
    @Test
    void anUnknownRecordNamespaceIsNamed() {
        CliRun run = CliRun.run(dir, "dht", "get", "/bogus/key");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley dht get: unknown record namespace 'bogus'; a record key is"
                + " /pk/<PeerId> or /parley/<PeerId>/<name> ('self' for this node's PeerId)");
        assertNoJavaAndNoStackTrace(run.err());
    }

    private void assertNoJavaAndNoStackTrace(String message) {
        assertThat(message).doesNotContain("java.", "Exception", "\tat ");
        assertThat(log.list).as("log events with a stack trace")
                .noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(log.list).as("errors logged").noneMatch(event -> event.getLevel().isGreaterOrEqual(
                ch.qos.logback.classic.Level.ERROR));
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ApiServer.BIND_ADDRESS + ":"
                            + node.apiEndpoint().port() + path))
                    .header("Authorization", "Bearer " + node.apiEndpoint().token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
