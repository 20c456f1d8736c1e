package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ContactAnswer;
import org.parley.node.api.dto.ContactsAnswer;
import picocli.CommandLine.Command;

/** {@code parley requests}: pending contact requests with their intros. */
@Command(name = "requests", mixinStandardHelpOptions = true,
        description = "List pending contact requests and group invitations; answer with accept, decline or block.")
final class RequestsCommand extends ChatCommand<ContactsAnswer> {

    @Override
    ApiClient.Answer<ContactsAnswer> request(ApiClient client) throws CliException {
        return client.get(withIdentity(ApiPaths.REQUESTS), ContactsAnswer.class);
    }

    @Override
    void printText(ContactsAnswer answer, PrintWriter out) {
        if (orEmpty(answer.contacts()).isEmpty() && orEmpty(answer.groups()).isEmpty()) {
            out.println("no pending requests");
        }
        for (ContactAnswer c : orEmpty(answer.contacts())) {
            printContact(c, out);
        }
        for (org.parley.node.api.dto.GroupAnswer g : orEmpty(answer.groups())) {
            out.println("group invitation: " + g.name() + "  " + g.groupId() + "  (parley accept " + g.name()
                    + " or parley decline " + g.name() + ")");
        }
    }
}
