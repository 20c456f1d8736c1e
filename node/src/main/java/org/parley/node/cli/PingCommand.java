package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.PingAnswer;
import org.parley.node.api.dto.PingRequest;
import org.parley.node.network.NetworkService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code parley ping}: round trips of {@code /ipfs/ping/1.0.0} to a peer. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ping a peer by PeerId (connected or known) or by multiaddr (dialed first).")
final class PingCommand extends ClientCommand<PingAnswer> {

    @Parameters(index = "0", paramLabel = "PEER", description = "A PeerId (12D3KooW...) or a multiaddr (/ip4/.../tcp/.../p2p/...).")
    String target;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "3",
            description = "Number of pings, 1.." + NetworkService.MAX_PING_COUNT + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    ApiClient.Answer<PingAnswer> request(ApiClient client) throws CliException {
        boolean byAddress = target.startsWith("/");
        return client.post(ApiPaths.PING,
                new PingRequest(byAddress ? null : target, byAddress ? target : null, count), PingAnswer.class);
    }

    /** A count out of range is a usage error (exit 2), caught before the node is asked. */
    @Override
    void checkUsage() {
        if (count < 1 || count > NetworkService.MAX_PING_COUNT) {
            throw new ParameterException(spec.commandLine(), "-c/--count must be 1.." + NetworkService.MAX_PING_COUNT
                    + ", got " + count);
        }
    }

    @Override
    void printText(PingAnswer answer, PrintWriter out) {
        for (Double rtt : orEmpty(answer.rttMs())) {
            out.println(String.format(Locale.ROOT, "pong from %s: %.3f ms", answer.peerId(), rtt));
        }
        out.println(String.format(Locale.ROOT, "average: %.3f ms", answer.averageMs()));
    }
}
