package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley connect}: makes the running node dial a peer. */
@Command(name = "connect", mixinStandardHelpOptions = true, description = "Dial a peer at a multiaddr.")
final class ConnectCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "Where to dial, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
    String multiaddr;

    @Override
    JsonNode request(ApiClient client) throws CliException {
        return client.post("/api/connect", Map.of("multiaddr", multiaddr));
    }

    @Override
    void printText(JsonNode answer, PrintWriter out) {
        out.println("connected to " + text(answer, "peerId") + " at " + text(answer, "address"));
    }
}
