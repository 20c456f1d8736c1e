package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.parley.node.api.NodeRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley ping}: round trips of {@code /ipfs/ping/1.0.0} to a peer. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ping a peer by PeerId (connected or known) or by multiaddr (dialed first).")
final class PingCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PEER", description = "A PeerId (12D3KooW...) or a multiaddr (/ip4/.../tcp/.../p2p/...).")
    String target;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "3",
            description = "Number of pings, 1.." + NodeRoutes.MAX_PING_COUNT + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    JsonNode request(ApiClient client) throws CliException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(target.startsWith("/") ? "multiaddr" : "peer", target);
        body.put("count", count);
        return client.post("/api/ping", body);
    }

    @Override
    void printText(JsonNode answer, PrintWriter out) {
        String peer = text(answer, "peerId");
        for (JsonNode rtt : answer.path("rttMs")) {
            out.println(String.format(Locale.ROOT, "pong from %s: %.3f ms", peer, rtt.asDouble()));
        }
        out.println(String.format(Locale.ROOT, "average: %.3f ms", answer.path("averageMs").asDouble()));
    }
}
