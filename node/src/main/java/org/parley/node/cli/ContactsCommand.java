package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ContactAnswer;
import org.parley.node.api.dto.ContactRequest;
import org.parley.node.api.dto.ContactsAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley contacts [add ID-OR-INVITE [--intro TEXT] [--name NAME] | remove C]}: contacts of an identity. */
@Command(name = "contacts", mixinStandardHelpOptions = true,
        description = "List contacts; 'add ID-OR-INVITE' sends a contact request, 'remove C' forgets a contact.",
        subcommands = {ContactsCommand.Add.class, ContactsCommand.Remove.class})
final class ContactsCommand extends ChatCommand<ContactsAnswer> {

    @Override
    ApiClient.Answer<ContactsAnswer> request(ApiClient client) throws CliException {
        return client.get(withIdentity(ApiPaths.CONTACTS), ContactsAnswer.class);
    }

    @Override
    void printText(ContactsAnswer answer, PrintWriter out) {
        if (orEmpty(answer.contacts()).isEmpty()) {
            out.println("no contacts yet: add one with parley contacts add ID-OR-INVITE");
        }
        for (ContactAnswer c : orEmpty(answer.contacts())) {
            printContact(c, out);
        }
    }

    /** {@code contacts add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Send a contact request to a user ID or invite link.")
    static final class Add extends ChatCommand<ContactAnswer> {
        @Parameters(index = "0", paramLabel = "ID-OR-INVITE")
        String contact;

        @Option(names = "--intro", paramLabel = "TEXT", description = "A few words for them (at most 280 characters).")
        String intro;

        @Option(names = "--name", paramLabel = "NAME", description = "Your local name for them.")
        String name;

        @Override
        ApiClient.Answer<ContactAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.CONTACTS, new ContactRequest(identity, contact, intro, name), ContactAnswer.class);
        }

        @Override
        void printText(ContactAnswer answer, PrintWriter out) {
            printContact(answer, out);
        }
    }

    /** {@code contacts remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Forget a contact and the conversation with them.")
    static final class Remove extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_REMOVE;
        }
    }
}
