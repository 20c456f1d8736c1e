package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ContactAnswer;
import org.parley.node.api.dto.ContactRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A command that does one thing to one contact C (user ID or local name) and prints the contact:
 * {@code accept}, {@code decline}, {@code block}, {@code unblock}, {@code verify},
 * {@code contacts remove}. Not thread safe (one run).
 */
abstract class ContactActionCommand extends ChatCommand<ContactAnswer> {

    @Parameters(index = "0", paramLabel = "C", description = "The contact's user ID or the name you gave them.")
    String contact;

    abstract String path();

    @Override
    ApiClient.Answer<ContactAnswer> request(ApiClient client) throws CliException {
        return client.post(path(), new ContactRequest(identity, contact, null, null), ContactAnswer.class);
    }

    @Override
    void printText(ContactAnswer answer, PrintWriter out) {
        printContact(answer, out);
    }

    @Command(name = "accept", mixinStandardHelpOptions = true, description = "Accept a pending contact request.")
    static final class Accept extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_ACCEPT;
        }
    }

    @Command(name = "decline", mixinStandardHelpOptions = true,
            description = "Decline a pending contact request (silently: only the decision is kept).")
    static final class Decline extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_DECLINE;
        }
    }

    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Block a contact or user ID: everything from them is dropped silently until unblocked.")
    static final class Block extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_BLOCK;
        }
    }

    @Command(name = "unblock", mixinStandardHelpOptions = true, description = "Lift a block.")
    static final class Unblock extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_UNBLOCK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Mark a contact verified after comparing the safety number; releases messages held by a"
                    + " key warning.")
    static final class Verify extends ContactActionCommand {
        @Override
        String path() {
            return ApiPaths.CONTACTS_VERIFY;
        }
    }
}
