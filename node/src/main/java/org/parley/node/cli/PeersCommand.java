package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code parley peers}: the peers the running node is connected to. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "List connected peers with address, agent and latency.")
final class PeersCommand extends ClientCommand {

    @Override
    JsonNode request(ApiClient client) throws CliException {
        return client.get("/api/peers");
    }

    @Override
    void printText(JsonNode answer, PrintWriter out) {
        JsonNode peers = answer.path("peers");
        if (peers.isEmpty()) {
            out.println("no connected peers");
            return;
        }
        for (JsonNode peer : peers) {
            JsonNode addresses = peer.path("addresses");
            String address = addresses.isEmpty() ? "-" : addresses.get(0).asText();
            String agent = text(peer, "agentVersion");
            JsonNode latency = peer.get("latencyMs");
            out.println(String.join("  ",
                    text(peer, "peerId"),
                    address,
                    agent.isEmpty() ? "-" : agent,
                    latency == null || latency.isNull() ? "-" : String.format(Locale.ROOT, "%.2f ms", latency.asDouble())));
        }
    }
}
