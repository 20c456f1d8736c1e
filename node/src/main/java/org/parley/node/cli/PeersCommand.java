package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ConnectionsAnswer;
import org.parley.node.api.dto.PeerAnswer;
import org.parley.node.api.dto.PeerConnectionAnswer;
import org.parley.node.api.dto.PeersAnswer;
import org.parley.node.api.dto.WebRtcAnswer;
import picocli.CommandLine.Command;

/** {@code parley peers}: the peers the running node is connected to. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "List connected peers with address, agent, latency and transport (tcp, relayed, webrtc),"
                + " and whether WebRTC is available.")
final class PeersCommand extends ClientCommand<PeersAnswer> {

    @Override
    ApiClient.Answer<PeersAnswer> request(ApiClient client) throws CliException {
        return client.get(ApiPaths.PEERS, PeersAnswer.class);
    }

    @Override
    void printText(PeersAnswer answer, PrintWriter out) {
        List<PeerAnswer> peers = orEmpty(answer.peers());
        if (peers.isEmpty()) {
            out.println("no connected peers");
        }
        for (PeerAnswer peer : peers) {
            List<String> addresses = orEmpty(peer.addresses());
            String agent = peer.agentVersion();
            out.println(String.join("  ",
                    peer.peerId(),
                    addresses.isEmpty() ? "-" : addresses.getFirst(),
                    agent == null || agent.isEmpty() ? "-" : agent,
                    peer.latencyMs() == null ? "-" : String.format(Locale.ROOT, "%.2f ms", peer.latencyMs()),
                    "transport: " + (peer.transport() == null ? "-" : peer.transport())));
            for (PeerConnectionAnswer connection : orEmpty(peer.connections())) {
                out.println("    " + connection.transport() + (connection.limited() ? " (limited)" : "") + "  "
                        + connection.address());
            }
            if (peer.webrtcFailure() != null) {
                out.println("    no direct WebRTC connection: " + peer.webrtcFailure());
            }
        }
        WebRtcAnswer webrtc = answer.webrtc();
        if (webrtc != null) {
            out.println(webrtc.available() ? "WebRTC: available"
                    : "WebRTC: not available: " + (webrtc.reason() == null ? "unknown reason" : webrtc.reason()));
        }
        ConnectionsAnswer connections = answer.connections();
        if (connections != null) {
            out.printf(Locale.ROOT, "connections: %d open, %d handshaking; trimmed above %d to %d, at most %d;"
                    + " refused %d, closed %d, peer faults %d%n", connections.open(), connections.pendingHandshakes(),
                    connections.highWater(), connections.lowWater(), connections.max(), sum(connections.refused()),
                    sum(connections.closed()), connections.peerFaults());
        }
    }

    private static long sum(Map<String, Long> counts) {
        return counts == null ? 0 : counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
