package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code parley id}: the running node's PeerId, rendezvous key, agent and full listen addresses. */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Print the running node's PeerId, rendezvous key and listen addresses.")
final class IdCommand extends ClientCommand {

    @Override
    JsonNode request(ApiClient client) throws CliException {
        return client.get("/api/id");
    }

    @Override
    void printText(JsonNode answer, PrintWriter out) {
        out.println("peer-id: " + text(answer, "peerId"));
        out.println("rendezvous: " + text(answer, "rendezvousKey"));
        out.println("agent: " + text(answer, "agentVersion"));
        for (JsonNode address : answer.path("addresses")) {
            out.println("listen: " + address.asText());
        }
    }
}
