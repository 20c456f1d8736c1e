package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.IdentitiesAnswer;
import org.parley.node.api.dto.IdentityAnswer;
import org.parley.node.api.dto.IdentityRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley identities [new NAME | retire ID]}: the node's user identities; create or retire one. */
@Command(name = "identities", mixinStandardHelpOptions = true,
        description = "List this node's user identities; 'new NAME' creates one, 'retire ID' retires one.",
        subcommands = {IdentitiesCommand.New.class, IdentitiesCommand.Retire.class})
final class IdentitiesCommand extends ClientCommand<IdentitiesAnswer> {

    @Override
    ApiClient.Answer<IdentitiesAnswer> request(ApiClient client) throws CliException {
        return client.get(ApiPaths.IDENTITIES, IdentitiesAnswer.class);
    }

    @Override
    void printText(IdentitiesAnswer answer, PrintWriter out) {
        for (IdentityAnswer i : orEmpty(answer.identities())) {
            print(i, out);
        }
    }

    static void print(IdentityAnswer i, PrintWriter out) {
        out.println(i.userId() + "  " + (i.displayName() == null ? "(no name)" : i.displayName())
                + (i.retired() ? "  retired" : "") + (i.isDefault() ? "  default" : ""));
        out.println("  invite: " + i.inviteLink());
    }

    /** {@code identities new NAME}. */
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Create a new identity with this display name.")
    static final class New extends ClientCommand<IdentityAnswer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        ApiClient.Answer<IdentityAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.IDENTITIES, new IdentityRequest(name, null), IdentityAnswer.class);
        }

        @Override
        void printText(IdentityAnswer answer, PrintWriter out) {
            print(answer, out);
        }
    }

    /** {@code identities retire ID}. */
    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Retire an identity (user ID or display name): it receives nothing more.")
    static final class Retire extends ClientCommand<IdentityAnswer> {
        @Parameters(index = "0", paramLabel = "ID")
        String identity;

        @Override
        ApiClient.Answer<IdentityAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.IDENTITIES_RETIRE, new IdentityRequest(null, identity), IdentityAnswer.class);
        }

        @Override
        void printText(IdentityAnswer answer, PrintWriter out) {
            print(answer, out);
        }
    }
}
