package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley find-user}: the online devices of a user, found in the DHT by the user's
 * rendezvous key, with their addresses. Not thread safe (one run).
 */
@Command(name = "find-user", mixinStandardHelpOptions = true,
        description = {"Find the online devices of a user by hashed ID (the providers of the user's rendezvous"
                + " key) and their addresses.",
            "Until identities exist, a user is named by one device's Ed25519 PeerId."})
final class FindUserCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PEER_ID", description = "The user's PeerId (Ed25519: 12D3KooW...).")
    String peer;

    @Override
    JsonNode request(ApiClient client) throws CliException {
        return client.post("/api/find-user", Map.of("peer", peer));
    }

    @Override
    void printText(JsonNode answer, PrintWriter out) {
        out.println("rendezvous: " + text(answer, "rendezvousKey"));
        for (JsonNode device : answer.path("devices")) {
            out.println("device: " + text(device, "peerId"));
            JsonNode addresses = device.path("addresses");
            if (addresses.isEmpty()) {
                out.println("  (no address known)");
            }
            for (JsonNode address : addresses) {
                out.println("  address: " + address.asText());
            }
        }
    }
}
