package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.IdAnswer;
import picocli.CommandLine.Command;

/** {@code parley id}: the running node's PeerId, rendezvous key, agent and full listen addresses. */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Print the running node's PeerId, rendezvous key, user ID, invite link and listen addresses.")
final class IdCommand extends ClientCommand<IdAnswer> {

    @Override
    ApiClient.Answer<IdAnswer> request(ApiClient client) throws CliException {
        return client.get(ApiPaths.ID, IdAnswer.class);
    }

    @Override
    void printText(IdAnswer answer, PrintWriter out) {
        out.println("peer-id: " + answer.peerId());
        out.println("rendezvous: " + answer.rendezvousKey());
        if (answer.userId() != null) {
            out.println("user-id: " + answer.userId());
            out.println("invite: " + answer.inviteLink());
        }
        out.println("agent: " + answer.agentVersion());
        for (String address : orEmpty(answer.addresses())) {
            out.println("listen: " + address);
        }
    }
}
