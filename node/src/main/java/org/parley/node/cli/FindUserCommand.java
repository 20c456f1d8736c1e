package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.List;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.DhtPeer;
import org.parley.node.api.dto.FindUserAnswer;
import org.parley.node.api.dto.PeerRequest;
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
final class FindUserCommand extends ClientCommand<FindUserAnswer> {

    @Parameters(index = "0", paramLabel = "PEER_ID", description = "The user's PeerId (Ed25519: 12D3KooW...).")
    String peer;

    @Override
    ApiClient.Answer<FindUserAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.FIND_USER, new PeerRequest(peer), FindUserAnswer.class);
    }

    @Override
    void printText(FindUserAnswer answer, PrintWriter out) {
        out.println("rendezvous: " + answer.rendezvousKey());
        for (DhtPeer device : orEmpty(answer.devices())) {
            out.println("device: " + device.peerId());
            List<String> addresses = orEmpty(device.addresses());
            if (addresses.isEmpty()) {
                out.println("  (no address known)");
            }
            for (String address : addresses) {
                out.println("  address: " + address);
            }
        }
    }
}
