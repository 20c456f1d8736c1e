package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ConnectAnswer;
import org.parley.node.api.dto.ConnectRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley connect}: makes the running node dial a peer. */
@Command(name = "connect", mixinStandardHelpOptions = true, description = "Dial a peer at a multiaddr.")
final class ConnectCommand extends ClientCommand<ConnectAnswer> {

    @Parameters(index = "0", paramLabel = "MULTIADDR", description = "Where to dial, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
    String multiaddr;

    @Override
    ApiClient.Answer<ConnectAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.CONNECT, new ConnectRequest(multiaddr), ConnectAnswer.class);
    }

    @Override
    void printText(ConnectAnswer answer, PrintWriter out) {
        out.println("connected to " + answer.peerId() + " at " + answer.address());
    }
}
